/**
 * Campaign variants (`variants:`): the template, variables and title a
 * record gets. Variants are tried in order on the record's freshly read
 * properties; the first whose `when` conditions all hold wins, else the
 * campaign's own template, variables and title (variant `null`). A variant
 * without `variables` or `title` uses the campaign's.
 */
import type { CampaignConfig, ConditionSpec, VariantSpec } from '../config/schema.js';
import { checkConditions } from './conditions.js';
import type { MappableCampaign, Props } from './variables.js';

export type VariantCampaign = Pick<CampaignConfig, 'id' | 'template' | 'title' | 'variables'> & { variants?: readonly VariantSpec[] };

/** What a record renders: a mappable campaign (id, title, variables) plus the template and the variant's id. */
export interface ChosenContent extends MappableCampaign {
  /** The matching variant's id, or null for the campaign's own template. */
  variant: string | null;
  template: string;
}

export function chooseVariant(campaign: VariantCampaign, record: Props, placeholders: readonly string[]): ChosenContent {
  const match = (campaign.variants ?? []).find((v) => checkConditions(v.when, record, placeholders).ok);
  return match ? contentOf(campaign, match) : { id: campaign.id, variant: null, template: campaign.template, title: campaign.title, variables: campaign.variables };
}

function contentOf(campaign: VariantCampaign, variant: VariantSpec): ChosenContent {
  return {
    id: campaign.id,
    variant: variant.id,
    template: variant.template,
    title: variant.title ?? campaign.title,
    variables: variant.variables ?? campaign.variables,
  };
}

/** Every content a campaign may render (its own first, then each variant's), e.g. for what to read and what to check. */
export function allContents(campaign: VariantCampaign): ChosenContent[] {
  const own: ChosenContent = { id: campaign.id, variant: null, template: campaign.template, title: campaign.title, variables: campaign.variables };
  return [own, ...(campaign.variants ?? []).map((v) => contentOf(campaign, v))];
}

/** The mappings (title and variables) a campaign may use, its own first: what enrichment must read for any record. */
export function allMappings(campaign: MappableCampaign & Pick<VariantCampaign, 'variants'>): MappableCampaign[] {
  const variants = (campaign.variants ?? []).map((v) => ({ id: campaign.id, title: v.title ?? campaign.title, variables: v.variables ?? campaign.variables }));
  return [campaign, ...variants];
}

/** The conditions the variants' `when` check, so the properties they name are read with the record. */
export function variantConditions(campaign: Pick<VariantCampaign, 'variants'>): ConditionSpec[] {
  return (campaign.variants ?? []).flatMap((v) => v.when);
}
