/** HeyGen: each campaign's template exists and its variables fit the mapping. */
import type { ReelayConfig } from '../config/schema.js';
import { isProviderError } from '../core/errors.js';
import type { HeyGenClient, TemplateInfo } from '../heygen/client.js';
import { providerFix } from '../setup/provider-fix.js';
import { fail, pass, type CheckOutcome } from './outcome.js';
import { compareTemplateVariables, type TemplateProblem } from './template-match.js';

function problemOutcome(campaignId: string, where: string, templateId: string, templateVariables: string[], problem: TemplateProblem): CheckOutcome {
  const setting = `${where}.variables.${problem.variable}`;
  switch (problem.kind) {
    case 'unknown':
      return fail(
        `campaign ${campaignId}: variable ${problem.variable} is not in template ${templateId}`,
        `rename or remove ${setting} (the template's variables: ${templateVariables.join(', ') || 'none'})`,
      );
    case 'missing':
      return fail(
        `campaign ${campaignId}: template ${templateId}'s text variable ${problem.variable} is not mapped (every video would show the template's sample text)`,
        `add ${setting} to reelay.yaml`,
      );
    case 'wrong_type':
      return fail(
        `campaign ${campaignId}: template ${templateId}'s variable ${problem.variable} is ${problem.type ?? 'of another type'}, and Reelay fills ${problem.mappedAs ?? 'text'} only`,
        `remove ${setting} (set that media in the template itself)`,
      );
  }
}

export async function checkTemplates(client: HeyGenClient, config: ReelayConfig): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  for (const [index, campaign] of config.campaigns.entries()) {
    const where = `campaigns[${index}]`;
    let template: TemplateInfo | null;
    try {
      template = await client.getTemplate(campaign.template);
    } catch (err) {
      if (!isProviderError(err)) throw err;
      const outcome = fail(`campaign ${campaign.id}: cannot read template ${campaign.template}: ${err.describe()}`, providerFix(err));
      // A refused key fails every campaign the same way: say it once.
      if (err.status === 401 || err.status === 403) return [...outcomes, outcome];
      outcomes.push(outcome);
      continue;
    }
    if (template === null) {
      outcomes.push(fail(`campaign ${campaign.id}: template ${campaign.template} not found in HeyGen`, `check ${where}.template (the id is in the template's URL in HeyGen)`));
      continue;
    }
    const mapped = Object.fromEntries(Object.entries(campaign.variables).map(([name, spec]) => [name, spec.type]));
    const problems = compareTemplateVariables(mapped, template.variables);
    if (problems.length === 0) {
      outcomes.push(pass(`campaign ${campaign.id}: template ${campaign.template} fits (${Object.keys(mapped).length} text variable(s) mapped)`));
      continue;
    }
    const names = Object.keys(template.variables).sort();
    outcomes.push(...problems.map((p) => problemOutcome(campaign.id, where, campaign.template, names, p)));
  }
  return outcomes;
}
