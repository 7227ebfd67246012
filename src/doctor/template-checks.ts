/** HeyGen: each campaign's template (and each of its variants' templates) exists and its variables fit the mapping. */
import type { CampaignConfig, ReelayConfig } from '../config/schema.js';
import { allContents } from '../core/variants.js';
import { isProviderError } from '../core/errors.js';
import type { HeyGenClient, TemplateInfo } from '../heygen/client.js';
import { providerFix } from '../setup/provider-fix.js';
import { fail, pass, type CheckOutcome } from './outcome.js';
import { compareTemplateVariables, type TemplateProblem } from './template-match.js';

function problemOutcome(label: string, where: string, templateId: string, templateVariables: string[], problem: TemplateProblem): CheckOutcome {
  const setting = `${where}.variables.${problem.variable}`;
  switch (problem.kind) {
    case 'unknown':
      return fail(
        `${label}: variable ${problem.variable} is not in template ${templateId}`,
        `rename or remove ${setting} (the template's variables: ${templateVariables.join(', ') || 'none'})`,
      );
    case 'missing':
      return fail(
        `${label}: template ${templateId}'s text variable ${problem.variable} is not mapped (every video would show the template's sample text)`,
        `add ${setting} to reelay.yaml`,
      );
    case 'wrong_type':
      return fail(
        `${label}: template ${templateId}'s variable ${problem.variable} is ${problem.type ?? 'of another type'}, and Reelay fills ${problem.mappedAs ?? 'text'} only`,
        `remove ${setting} (set that media in the template itself)`,
      );
  }
}

/** One template a campaign renders: its own, or a variant's (`variants:`), with where each is set in reelay.yaml. */
interface TemplateUse {
  /** `campaign bdr-intro` or `campaign bdr-intro variant de`. */
  label: string;
  template: string;
  variables: CampaignConfig['variables'];
  /** Where `template` is set. */
  where: string;
  /** Where the variables it uses are set (a variant without `variables` uses the campaign's). */
  variablesWhere: string;
}

function templateUses(campaign: CampaignConfig, index: number): TemplateUse[] {
  const where = `campaigns[${index}]`;
  return allContents(campaign).map((content, i) => {
    const own = i === 0;
    const variantWhere = `${where}.variants[${i - 1}]`;
    const hasVariables = !own && campaign.variants[i - 1]?.variables !== undefined;
    return {
      label: own ? `campaign ${campaign.id}` : `campaign ${campaign.id} variant ${content.variant ?? ''}`,
      template: content.template,
      variables: content.variables,
      where: own ? where : variantWhere,
      variablesWhere: hasVariables ? variantWhere : where,
    };
  });
}

export async function checkTemplates(client: HeyGenClient, config: ReelayConfig): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const [index, campaign] of config.campaigns.entries()) {
    for (const use of templateUses(campaign, index)) {
      let template: TemplateInfo | null;
      try {
        template = await client.getTemplate(use.template);
      } catch (err) {
        if (!isProviderError(err)) throw err;
        const outcome = fail(`${use.label}: cannot read template ${use.template}: ${err.describe()}`, providerFix(err));
        // A refused key fails every campaign the same way: say it once.
        if (err.status === 401 || err.status === 403) return [...outcomes, outcome];
        outcomes.push(outcome);
        continue;
      }
      if (template === null) {
        outcomes.push(fail(`${use.label}: template ${use.template} not found in HeyGen`, `check ${use.where}.template (the id is in the template's URL in HeyGen)`));
        continue;
      }
      const mapped = Object.fromEntries(Object.entries(use.variables).map(([name, spec]) => [name, spec.type]));
      const problems = compareTemplateVariables(mapped, template.variables);
      if (problems.length === 0) {
        outcomes.push(pass(`${use.label}: template ${use.template} fits (${Object.keys(mapped).length} text variable(s) mapped)`));
        continue;
      }
      const names = Object.keys(template.variables).sort();
      outcomes.push(...problems.map((p) => problemOutcome(use.label, use.variablesWhere, use.template, names, p)));
    }
  }
  return outcomes;
}
