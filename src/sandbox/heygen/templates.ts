/**
 * Templates the sandbox renders from, and how they are shown by the template
 * detail endpoints. The default templates are the ones the demo uses (the intro in three languages, onboarding, renewal).
 */
export const variableTypes = ['text', 'image', 'video', 'audio'] as const;
export type VariableType = (typeof variableTypes)[number];

export interface SandboxTemplateVariable {
  type: VariableType;
  /** The template's current value: text content, or a media URL. */
  default?: string;
}

export interface SandboxTemplate {
  id: string;
  name: string;
  aspectRatio?: '16:9' | '9:16' | '1:1';
  variables: Record<string, SandboxTemplateVariable>;
}

const text = (placeholder: string): SandboxTemplateVariable => ({ type: 'text', default: `{{${placeholder}}}` });

/** The BDR intro's shape, shared by its language versions. */
function intro(id: string, name: string): SandboxTemplate {
  return {
    id,
    name,
    aspectRatio: '16:9',
    variables: {
      first_name: text('first_name'),
      company_name: text('company_name'),
      conversion_event: text('conversion_event'),
    },
  };
}

export const defaultTemplates: readonly SandboxTemplate[] = [
  intro('tpl_bdr_intro', 'BDR intro'),
  // The intro in German and Spanish: the example config's `variants:` of bdr-intro, chosen by hs_language.
  intro('tpl_bdr_intro_de', 'BDR intro (German)'),
  intro('tpl_bdr_intro_es', 'BDR intro (Spanish)'),
  {
    id: 'tpl_onboarding',
    name: 'Customer onboarding',
    aspectRatio: '16:9',
    variables: {
      first_name: text('first_name'),
      company_name: text('company_name'),
      package_name: text('package_name'),
    },
  },
  {
    id: 'tpl_renewal',
    name: 'Renewal reminder',
    aspectRatio: '16:9',
    variables: {
      first_name: text('first_name'),
      company_name: text('company_name'),
      renewal_date: text('renewal_date'),
      usage_hours: text('usage_hours'),
    },
  },
];

export class TemplateRegistry {
  private readonly byId = new Map<string, SandboxTemplate>();

  constructor(private readonly initial: readonly SandboxTemplate[]) {
    this.reset();
  }

  get(id: string): SandboxTemplate | undefined {
    return this.byId.get(id);
  }

  list(): SandboxTemplate[] {
    return [...this.byId.values()];
  }

  put(template: SandboxTemplate): void {
    this.byId.set(template.id, template);
  }

  remove(id: string): boolean {
    return this.byId.delete(id);
  }

  reset(): void {
    this.byId.clear();
    for (const template of this.initial) this.put(template);
  }
}

/** A variable as the v2 API shows it: `{name, type, properties}`, the same shape a create accepts. */
export function variableView(name: string, variable: SandboxTemplateVariable): Record<string, unknown> {
  const properties =
    variable.type === 'text' ? { content: variable.default ?? '' } : { url: variable.default ?? null, asset_id: null };
  return { name, type: variable.type, properties };
}

export function variablesView(template: SandboxTemplate): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, variable] of Object.entries(template.variables)) out[name] = variableView(name, variable);
  return out;
}

/**
 * The v3 detail (HeyGen's OpenAPI, `GET /v3/templates/{id}`): `variables`
 * holds current values and promises no `type`, so the sandbox shows none;
 * the types are in `scenes[].variables[].variable_type`. Two scenes: the
 * first half of the variables in the first, the rest (and the first variable
 * again) in the second, so a reader must gather types across scenes.
 */
export function v3TemplateDetail(template: SandboxTemplate): Record<string, unknown> {
  const entries = Object.entries(template.variables);
  const half = Math.ceil(entries.length / 2);
  const typed = (list: typeof entries) => list.map(([name, v]) => ({ name, variable_type: v.type }));
  const scenes = [
    { scene_id: `${template.id}_s1`, script: entries.slice(0, half).map(([n]) => `{{${n}}}`).join(' '), variables: typed(entries.slice(0, half)) },
    { scene_id: `${template.id}_s2`, script: null, variables: typed([...entries.slice(half), ...entries.slice(0, 1)]) },
  ];
  const values: Record<string, Record<string, unknown>> = {};
  for (const [name, variable] of entries) {
    const { type: _type, ...shown } = variableView(name, variable);
    values[name] = shown;
  }
  return { scene_ids: scenes.map((s) => s.scene_id), scenes, variables: values };
}
