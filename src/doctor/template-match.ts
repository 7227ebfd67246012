/**
 * Pure: does a campaign's variable mapping fit its HeyGen template?
 *
 *   unknown    the campaign fills a variable the template does not have
 *   missing    the template has a text variable the campaign does not fill
 *              (every video would show the template's sample text)
 *   wrong_type the campaign fills a variable of another type than the template's
 *              (a text value mapped onto an image variable)
 *
 * Unfilled media variables (image, video, audio) are fine: they keep the
 * template's own media.
 */
export interface TemplateProblem {
  kind: 'unknown' | 'missing' | 'wrong_type';
  variable: string;
  /** The template variable's type, for `wrong_type`. */
  type?: string;
  /** The type the campaign sends, for `wrong_type`. */
  mappedAs?: string;
}

/** `mapped`: each variable the campaign fills, with the type it sends (`text` for every CRM value today). */
export function compareTemplateVariables(
  mapped: Readonly<Record<string, string>>,
  template: Readonly<Record<string, { type: string }>>,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const filled = new Set(Object.keys(mapped));
  for (const [name, mappedAs] of Object.entries(mapped).sort(([a], [b]) => a.localeCompare(b))) {
    const variable = template[name];
    if (variable === undefined) problems.push({ kind: 'unknown', variable: name });
    else if (variable.type.toLowerCase() !== mappedAs) problems.push({ kind: 'wrong_type', variable: name, type: variable.type, mappedAs });
  }
  for (const [name, variable] of Object.entries(template).sort(([a], [b]) => a.localeCompare(b))) {
    if (!filled.has(name) && variable.type === 'text') problems.push({ kind: 'missing', variable: name });
  }
  return problems;
}
