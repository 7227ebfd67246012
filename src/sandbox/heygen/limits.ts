/** The account's plan limits: renders at once, what happens beyond, and an optional credit balance. */
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';

export type Overflow = '429' | 'queue';

export interface Limits {
  /** Renders in `pending`/`processing` at once. */
  concurrency: number;
  /** Beyond `concurrency`: answer 429 with `Retry-After`, or accept with status `waiting`. */
  overflow: Overflow;
  /** Billed renders still affordable; null is unlimited. Creates at 0 get 402 `insufficient_credit`. */
  credits: number | null;
}

export const limitsPatchSchema = z.strictObject({
  concurrency: z.number().int().min(1).optional(),
  overflow: z.enum(['429', 'queue']).optional(),
  credits: z.number().int().min(0).nullable().optional(),
});

export type LimitsPatch = z.input<typeof limitsPatchSchema>;

export function parseLimitsPatch(input: unknown): Partial<Limits> {
  const parsed = limitsPatchSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(issue?.message ?? 'invalid limits', `limits.${issue?.path.join('.') ?? ''}`);
  }
  const patch: Partial<Limits> = {};
  if (parsed.data.concurrency !== undefined) patch.concurrency = parsed.data.concurrency;
  if (parsed.data.overflow !== undefined) patch.overflow = parsed.data.overflow;
  if (parsed.data.credits !== undefined) patch.credits = parsed.data.credits;
  return patch;
}
