/**
 * The dashboard's inputs: the list's filters, a render id, a form body.
 * Bad input is a 400 page that says what is wrong; nothing is guessed.
 */
import { z } from 'zod';
import { DAY_MS } from '../../../app/dashboard-overview.js';
import type { RenderPageFilter } from '../../../app/dashboard-renders.js';
import { objectTypes } from '../../../config/schema.js';
import { renderStates, type RenderState } from '../../../core/states.js';
import { MAX_RENDER_ID, parseAdminInput } from '../../admin-input.js';
import type { ListFilterForm } from './renders-view.js';

const day = z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day (YYYY-MM-DD)').refine((d) => dayStart(d) !== undefined, 'is not a day of the calendar')]);

const listQuery = z
  .object({
    campaign: z.string().max(200, 'is too long').refine((t) => !t.includes('\u0000'), 'must not contain NUL characters').default(''),
    state: z.enum(['', ...renderStates], { error: `must be one of ${renderStates.join(', ')}` }).default(''),
    object: z.enum(['', ...objectTypes], { error: `must be one of ${objectTypes.join(', ')}` }).default(''),
    from: day.default(''),
    to: day.default(''),
    before: z.string().regex(/^\d{1,10}$/, 'must be a render id').transform(Number).optional(),
  })
  .strict();

export type ListInput = { ok: true; form: ListFilterForm; filter: Omit<RenderPageFilter, 'limit'> } | { ok: false; message: string };

function dayStart(text: string): number | undefined {
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2026-02-31 over to March: a real day prints back the same.
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

export function parseListQuery(query: unknown): ListInput {
  const parsed = parseAdminInput(listQuery, query);
  if (!parsed.ok) return { ok: false, message: parsed.message };
  const { campaign, state, object, from, to, before } = parsed.value;
  const filter: Omit<RenderPageFilter, 'limit'> = {
    ...(campaign === '' ? {} : { campaignId: campaign }),
    ...(state === '' ? {} : { state: state as RenderState }),
    ...(object === '' ? {} : { objectType: object }),
    ...(from === '' ? {} : { createdFrom: dayStart(from) as number }),
    ...(to === '' ? {} : { createdBefore: (dayStart(to) as number) + DAY_MS }),
    ...(before === undefined ? {} : { beforeId: before }),
  };
  return { ok: true, form: { campaign, state, object, from, to }, filter };
}

/** A render id from a path, or undefined. */
export function renderId(text: string): number | undefined {
  if (!/^\d{1,10}$/.test(text)) return undefined;
  const id = Number(text);
  return id >= 1 && id <= MAX_RENDER_ID ? id : undefined;
}

/** A form post's fields (`application/x-www-form-urlencoded`); empty for any other body. */
export function formFields(contentType: string | undefined, body: unknown): URLSearchParams {
  if (!Buffer.isBuffer(body) || !(contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams(body.toString('utf8'));
}
