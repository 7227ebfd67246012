/**
 * The body of a render-from-template request (v3 and v2 share it; v2 adds
 * `test`). Unknown keys are ignored, as the real API does; wrong types are a
 * 400 `invalid_parameter` naming the field.
 */
import { z } from 'zod';
import { invalidParameter } from './api-error.js';

const optionalText = z.string().nullish();

const httpUrl = z
  .string()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL');

const pixels = z
  .number()
  .int()
  .min(128)
  .max(4096)
  .refine((n) => n % 2 === 0, 'must be an even number');

const createBodySchema = z.looseObject({
  title: optionalText,
  variables: z.unknown().refine((value) => value !== undefined, 'is required'),
  callback_id: optionalText,
  callback_url: httpUrl.nullish(),
  caption: z.boolean().optional(),
  dimension: z.strictObject({ width: pixels, height: pixels }).nullish(),
  folder_id: optionalText,
  enable_sharing: z.boolean().optional(),
  include_gif: z.boolean().optional(),
  test: z.boolean().optional(),
});

export interface CreateBody {
  title: string | null;
  variables: unknown;
  callbackId: string | null;
  callbackUrl: string | null;
  caption: boolean;
  dimension: { width: number; height: number } | null;
  folderId: string | null;
  enableSharing: boolean;
  includeGif: boolean;
  /** v2 only: a watermarked render that is not billed. */
  test: boolean;
}

export function parseCreateBody(raw: unknown, api: 'v3' | 'v2'): CreateBody {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidParameter('request body must be a JSON object');
  const parsed = createBodySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || 'body';
    throw invalidParameter(`${path} ${issue?.message ?? 'is invalid'}`);
  }
  const body = parsed.data;
  return {
    title: body.title ?? null,
    variables: body.variables,
    callbackId: body.callback_id ?? null,
    callbackUrl: body.callback_url ?? null,
    caption: body.caption ?? false,
    dimension: body.dimension ?? null,
    folderId: body.folder_id || null,
    enableSharing: body.enable_sharing ?? false,
    includeGif: body.include_gif ?? false,
    test: api === 'v2' && body.test === true,
  };
}
