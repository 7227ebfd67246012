/**
 * The admin API's inputs (`/api/*` queries, path parameters and bodies),
 * checked with zod before anything reads them. A bad field is a 400 that
 * names it; nothing is clamped or ignored in silence (a typo'd filter would
 * otherwise list, or retry, everything).
 *
 * Fastify hands a repeated query parameter over as an array: every field here
 * takes one string, so `?state=a&state=b` is refused, not a 500.
 */
import { z } from 'zod';
import { objectTypes } from '../config/schema.js';
import { formatConfigPath } from '../config/load.js';
import { renderStates } from '../core/states.js';

export const MAX_LIST_LIMIT = 500;
export const DEFAULT_LIST_LIMIT = 50;
/** Render ids are `integer` columns on PostgreSQL. */
export const MAX_RENDER_ID = 2_147_483_647;

const one = (what: string) => z.string({ error: (issue) => (Array.isArray(issue.input) ? `give ${what} once` : `must be ${what}`) });

const positiveInteger = (what: string, max: number) =>
  one(what)
    .regex(/^\d{1,10}$/, `must be ${what}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `must be ${what}`);

const campaignId = one('a campaign id').min(1, 'must not be empty').refine((text) => !text.includes('\u0000'), 'must not contain NUL characters');

export const listRendersQuery = z
  .object({
    state: one('a render state').pipe(z.enum(renderStates, { error: `must be one of ${renderStates.join(', ')}` })).optional(),
    campaign: campaignId.optional(),
    object: one('an object type').pipe(z.enum(objectTypes, { error: `must be one of ${objectTypes.join(', ')}` })).optional(),
    objectId: one('a record id').regex(/^\d{1,20}$/, 'must be a record id (digits)').optional(),
    limit: positiveInteger(`a whole number from 1 to ${MAX_LIST_LIMIT}`, MAX_LIST_LIMIT).default(DEFAULT_LIST_LIMIT),
  })
  .strict();

export const retryFailedQuery = z
  .object({ campaign: campaignId.optional() })
  .strict();

export const renderIdParams = z.object({ id: positiveInteger(`a render id (a whole number from 1 to ${MAX_RENDER_ID})`, MAX_RENDER_ID) }).strict();

export const noQuery = z.object({}).strict();

/** The admin actions take no body: an empty one (or none) only. */
export const noBody = z.union([z.undefined(), z.null(), z.instanceof(Buffer).refine((b) => b.length === 0, 'this action takes no body')]);

/** `POST /api/renders/:id/reject`: a JSON body `{ "reason": "..." }`, the reason required. */
export const rejectBody = z
  .instanceof(Buffer, { error: 'send a JSON body {"reason": "..."}' })
  .transform((body, ctx) => {
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON: {"reason": "..."}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .object({ reason: z.string({ error: 'must be a text: why the video is rejected' }).trim().min(1, 'must not be empty: say why the video is rejected') })
      .strict(),
  );

export interface InputIssue {
  path: string;
  message: string;
}

export type AdminInput<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[]; message: string };

/** Validates one part of a request; `part` prefixes nothing but names a body (`body`). */
export function parseAdminInput<T>(schema: z.ZodType<T>, value: unknown, part?: string): AdminInput<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.flatMap((issue): InputIssue[] => {
    const base = part === undefined ? issue.path : [part, ...issue.path];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: formatConfigPath([...base, key]), message: 'unknown parameter' }));
    return [{ path: formatConfigPath(base), message: issue.message }];
  });
  return { ok: false, issues, message: issues.map((i) => `${i.path}: ${i.message}`).join('; ') };
}
