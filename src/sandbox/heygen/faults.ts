/**
 * Fault settings: what can go wrong, how often. Settable at start, in-process
 * through `control`, and over HTTP (`POST /_sandbox/faults`); all three go
 * through `faultPatchSchema`, so a typo is refused the same way everywhere.
 * Faults apply to API routes only, never to `/_sandbox/*`.
 */
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import type { Random } from '../../core/clock.js';
import { rangeAt, type Entropy, type Range } from './entropy.js';

export interface FaultSettings {
  /** Added before anything else on every API request. */
  latencyMs: Range;
  /** A 5xx before anything is done. */
  errorRate: number;
  /** A spurious 429 `rate_limit_exceeded` with `Retry-After`, before anything is done. */
  rateLimitStormRate: number;
  /** The connection is destroyed before anything is done. */
  resetRate: number;
  /** On creates: the render is made, billed and stored under its key, but the answer never comes. */
  timeoutAfterAcceptRate: number;
  /** How long such a socket is held open before it is destroyed. */
  timeoutAfterAcceptHoldMs: number;
  /** Time a create spends between claiming its `Idempotency-Key` and answering (409 window). */
  createProcessingMs: Range;
  /** Probability a render fails at the end, with a code from `failCodes`. */
  failRate: number;
  failCodes: string[];
  /** Probability a render fails early with `MOVIO_PAYMENT_INSUFFICIENT_CREDIT` (accepted, fails at status time). */
  insufficientCreditRate: number;
  /** Probability a render never finishes: it stays `processing` and sends no callback. Its slot is freed. */
  stuckRate: number;
  callbackLossRate: number;
  callbackDuplicateRate: number;
  /** Random delay before each callback delivery (reorders them too). */
  callbackDelayMs: Range;
  /** Hold callbacks briefly and send each batch shuffled. */
  callbackReorder: boolean;
  /** Probability a success also sends an `avatar_video_gif.success` to every endpoint, subscribed or not. */
  callbackNoiseRate: number;
}

const noRange: Range = { min: 0, max: 0 };

export const noFaults: FaultSettings = {
  latencyMs: noRange,
  errorRate: 0,
  rateLimitStormRate: 0,
  resetRate: 0,
  timeoutAfterAcceptRate: 0,
  timeoutAfterAcceptHoldMs: 1000,
  createProcessingMs: noRange,
  failRate: 0,
  failCodes: ['RENDER_FAILED'],
  insufficientCreditRate: 0,
  stuckRate: 0,
  callbackLossRate: 0,
  callbackDuplicateRate: 0,
  callbackDelayMs: noRange,
  callbackReorder: false,
  callbackNoiseRate: 0,
};

const rate = z.number().min(0).max(1);
const millis = z.number().int().min(0);
const range = z
  .union([millis, z.strictObject({ min: millis, max: millis })])
  .transform((value): Range => (typeof value === 'number' ? { min: value, max: value } : value))
  .refine((value) => value.min <= value.max, 'min must not exceed max');

export const faultPatchSchema = z.strictObject({
  latencyMs: range.optional(),
  errorRate: rate.optional(),
  rateLimitStormRate: rate.optional(),
  resetRate: rate.optional(),
  timeoutAfterAcceptRate: rate.optional(),
  timeoutAfterAcceptHoldMs: millis.optional(),
  createProcessingMs: range.optional(),
  failRate: rate.optional(),
  failCodes: z.array(z.string().min(1)).min(1).optional(),
  insufficientCreditRate: rate.optional(),
  stuckRate: rate.optional(),
  callbackLossRate: rate.optional(),
  callbackDuplicateRate: rate.optional(),
  callbackDelayMs: range.optional(),
  callbackReorder: z.boolean().optional(),
  callbackNoiseRate: rate.optional(),
});

/** What callers may pass: ranges also as a single number of milliseconds. */
export type FaultPatch = z.input<typeof faultPatchSchema>;

/** Validates a patch; `ConfigError` names the first bad key. */
export function parseFaultPatch(input: unknown): Partial<FaultSettings> {
  const parsed = faultPatchSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(issue?.message ?? 'invalid fault settings', `faults.${issue?.path.join('.') ?? ''}`);
  }
  const patch: Partial<FaultSettings> = {};
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value !== undefined) Object.assign(patch, { [key]: value });
  }
  return patch;
}

export type RequestFaultAction = 'none' | 'reset' | 'error' | 'rate_limit';

export interface RequestFault {
  latencyMs: number;
  action: RequestFaultAction;
  errorStatus: 500 | 502 | 503;
  retryAfterSeconds: number;
}

const errorStatuses = [500, 502, 503] as const;

export class FaultState {
  private settings: FaultSettings;
  private requests: Random;
  private processing: Random;

  constructor(
    private readonly initial: FaultSettings,
    entropy: Entropy,
  ) {
    this.settings = initial;
    this.requests = entropy.stream('requests');
    this.processing = entropy.stream('create-processing');
  }

  get current(): FaultSettings {
    return this.settings;
  }

  patch(input: unknown): FaultSettings {
    this.settings = { ...this.settings, ...parseFaultPatch(input) };
    return this.settings;
  }

  /** Everything off, including render failures. */
  clear(): FaultSettings {
    this.settings = noFaults;
    return this.settings;
  }

  /** Back to the settings the sandbox started with, and the random sequence from its start. */
  reset(entropy: Entropy): void {
    this.settings = this.initial;
    this.requests = entropy.stream('requests');
    this.processing = entropy.stream('create-processing');
  }

  /** How long the next create holds its `Idempotency-Key` before answering. */
  drawCreateProcessingMs(): number {
    return rangeAt(this.processing(), this.settings.createProcessingMs);
  }

  /** Decides the fate of one API request. Always draws the same number of values, so one request's luck never shifts the next's. */
  drawRequestFault(): RequestFault {
    const s = this.settings;
    const draws = [this.requests(), this.requests(), this.requests(), this.requests(), this.requests(), this.requests()] as const;
    const latencyMs = rangeAt(draws[0], s.latencyMs);
    const errorStatus = errorStatuses[Math.floor(draws[4] * errorStatuses.length)] ?? 500;
    const retryAfterSeconds = 1 + Math.floor(draws[5] * 3);
    let action: RequestFaultAction = 'none';
    if (draws[1] < s.resetRate) action = 'reset';
    else if (draws[2] < s.errorRate) action = 'error';
    else if (draws[3] < s.rateLimitStormRate) action = 'rate_limit';
    return { latencyMs, action, errorStatus, retryAfterSeconds };
  }
}
