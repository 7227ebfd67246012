/** Validation of templates given at start or through the control API. */
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { variableTypes, type SandboxTemplate } from './templates.js';

const templateSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -'),
  name: z.string().min(1),
  aspectRatio: z.enum(['16:9', '9:16', '1:1']).optional(),
  variables: z.record(
    z.string().regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _'),
    z.strictObject({ type: z.enum(variableTypes), default: z.string().optional() }),
  ),
});

export function parseTemplate(input: unknown, path = 'template'): SandboxTemplate {
  const parsed = templateSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = [path, ...(issue?.path ?? []).map(String)].join('.');
    throw new ConfigError(issue?.message ?? 'invalid template', where);
  }
  const { id, name, aspectRatio, variables } = parsed.data;
  const template: SandboxTemplate = { id, name, variables: {} };
  if (aspectRatio !== undefined) template.aspectRatio = aspectRatio;
  for (const [varName, v] of Object.entries(variables)) {
    template.variables[varName] = v.default === undefined ? { type: v.type } : { type: v.type, default: v.default };
  }
  return template;
}
