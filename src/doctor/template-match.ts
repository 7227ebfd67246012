/**
 * Pure: does a campaign's variable mapping fit its HeyGen template?
 *
 *   unknown    the campaign fills a variable the template does not have
 *   missing    the template has a text variable the campaign does not fill
 *              (every video would show the template's sample text)
 *   wrong_type the campaign fills a variable that is not text (Reelay sends text)
 *
 * Unfilled media variables (image, video, audio) are fine: they keep the
 * template's own media.
 */
export interface TemplateProblem {
  kind: 'unknown' | 'missing' | 'wrong_type';
  variable: string;
  /** The template variable's type, for `wrong_type`. */
  type?: string;
}

export function compareTemplateVariables(mapped: readonly string[], template: Readonly<Record<string, { type: string }>>): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const filled = new Set(mapped);
  for (const name of [...mapped].sort()) {
    const variable = template[name];
    if (variable === undefined) problems.push({ kind: 'unknown', variable: name });
    else if (variable.type !== 'text') problems.push({ kind: 'wrong_type', variable: name, type: variable.type });
  }
  for (const [name, variable] of Object.entries(template).sort(([a], [b]) => a.localeCompare(b))) {
    if (!filled.has(name) && variable.type === 'text') problems.push({ kind: 'missing', variable: name });
  }
  return problems;
}
