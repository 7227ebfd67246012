/** Start-up options of the HeyGen sandbox, their defaults and their validation. */
import { systemClock, type Clock } from '../../core/clock.js';
import { ConfigError } from '../../core/errors.js';
import type { Range } from './entropy.js';
import { noFaults, parseFaultPatch, type FaultPatch, type FaultSettings } from './faults.js';
import type { Overflow } from './limits.js';
import { defaultTemplates, type SandboxTemplate } from './templates.js';
import { parseTemplate } from './template-schema.js';
import type { MissingTextPolicy } from './variables.js';
import type { UrlExpiryStyle } from './signed-urls.js';
import { generateWebhookSecret, isWebhookSecret, signatureSchemes, type SignatureScheme } from './webhook-signing.js';

export interface HeyGenSandboxOptions {
  /** Default 0 (any free port) on 127.0.0.1. */
  port?: number;
  host?: string;
  /** The only `X-Api-Key` accepted; anything else gets 401. */
  apiKey: string;
  /** Secret (`whsec_<base64>`) of the endpoint pre-registered for `webhookTarget`; generated when absent. */
  webhookSecret?: string;
  /** URL events are delivered to (a pre-registered endpoint subscribed to every event); more via the API. */
  webhookTarget?: string;
  /** Simulated render time, uniform in range. Default 200..800 ms. */
  renderMs?: { min: number; max: number };
  /** Renders in `pending`/`processing` at once. Default 3. */
  concurrency?: number;
  /** Beyond `concurrency`: 429 with `Retry-After`, or accept with status `waiting`. Default '429'. */
  overflow?: Overflow;
  /** Probability a render fails. Default 0. */
  failRate?: number;
  /** Codes picked for those failures. Default ['RENDER_FAILED']. */
  failCodes?: string[];
  /** Probability a render fails at status time with `MOVIO_PAYMENT_INSUFFICIENT_CREDIT`. */
  insufficientCreditRate?: number;
  /** Billed renders affordable; creates beyond get 402 `insufficient_credit`. Default unlimited. */
  credits?: number;
  /** Lifetime of signed file links. Default 7 days. */
  urlTtlMs?: number;
  /** How links carry their expiry: a readable `Expires=` (default) or inside an encoded CloudFront `Policy`. */
  urlExpiry?: UrlExpiryStyle;
  templates?: SandboxTemplate[];
  seed?: number;
  /** For timestamps, link expiry and the idempotency window. Render time runs on real timers. */
  clock?: Clock;
  /** Longest text variable accepted. Default 1000. */
  maxTextLength?: number;
  /** A create that omits a text variable: refused (default) or, as real HeyGen does, rendered with the literal `{{name}}`. */
  missingTextVariables?: MissingTextPolicy;
  /** Further faults active from the start (same keys as `control.setFaults`). */
  faults?: FaultPatch;
  /** Waits before each webhook redelivery. Default [100, 400, 1600] (HeyGen's schedule, scaled down). */
  callbackRetryDelaysMs?: number[];
  /** Per-delivery timeout. Default 5000. */
  callbackTimeoutMs?: number;
  /** How deliveries to registered endpoints are signed, one scheme at a time. Default 'standard-webhooks'. */
  signatureScheme?: SignatureScheme;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  apiKey: string;
  renderMs: Range;
  urlTtlMs: number;
  urlExpiry: UrlExpiryStyle;
  templates: readonly SandboxTemplate[];
  seed: number;
  clock: Clock;
  maxTextLength: number;
  missingText: MissingTextPolicy;
  faults: FaultSettings;
  concurrency: number;
  overflow: Overflow;
  credits: number | null;
  callbackRetryDelaysMs: readonly number[];
  callbackTimeoutMs: number;
  signatureScheme: SignatureScheme;
  preRegistered: { url: string; secret: string } | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function wholeNumber(value: number | undefined, fallback: number, path: string, min: number): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`must be a whole number >= ${min}`, path);
  return n;
}

function readScheme(value: string | undefined): SignatureScheme {
  if (value === undefined) return 'standard-webhooks';
  if ((signatureSchemes as readonly string[]).includes(value)) return value as SignatureScheme;
  throw new ConfigError(`must be one of ${signatureSchemes.join(', ')}`, 'heygenSandbox.signatureScheme');
}

export function resolveOptions(opts: HeyGenSandboxOptions): ResolvedOptions {
  if (typeof opts.apiKey !== 'string' || opts.apiKey === '') throw new ConfigError('is required', 'heygenSandbox.apiKey');

  const renderMs = opts.renderMs ?? { min: 200, max: 800 };
  if (!(renderMs.min >= 0 && renderMs.max >= renderMs.min)) {
    throw new ConfigError('needs 0 <= min <= max', 'heygenSandbox.renderMs');
  }

  let preRegistered: ResolvedOptions['preRegistered'] = null;
  if (opts.webhookTarget !== undefined) {
    if (!URL.canParse(opts.webhookTarget)) throw new ConfigError('is not a URL', 'heygenSandbox.webhookTarget');
    const secret = opts.webhookSecret ?? generateWebhookSecret();
    if (!isWebhookSecret(secret)) throw new ConfigError('must look like whsec_<base64>', 'heygenSandbox.webhookSecret');
    preRegistered = { url: opts.webhookTarget, secret };
  }

  const faults: FaultSettings = {
    ...noFaults,
    ...parseFaultPatch({
      ...(opts.failRate !== undefined ? { failRate: opts.failRate } : {}),
      ...(opts.failCodes !== undefined ? { failCodes: opts.failCodes } : {}),
      ...(opts.insufficientCreditRate !== undefined ? { insufficientCreditRate: opts.insufficientCreditRate } : {}),
      ...opts.faults,
    }),
  };

  const retryDelays = opts.callbackRetryDelaysMs ?? [100, 400, 1600];
  if (retryDelays.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ConfigError('must be whole numbers of milliseconds', 'heygenSandbox.callbackRetryDelaysMs');
  }

  return {
    host: opts.host ?? '127.0.0.1',
    port: wholeNumber(opts.port, 0, 'heygenSandbox.port', 0),
    apiKey: opts.apiKey,
    renderMs: { min: renderMs.min, max: renderMs.max },
    urlTtlMs: wholeNumber(opts.urlTtlMs, 7 * DAY_MS, 'heygenSandbox.urlTtlMs', 1),
    urlExpiry: opts.urlExpiry ?? 'expires',
    templates: (opts.templates ?? defaultTemplates).map((t, i) => parseTemplate(t, `heygenSandbox.templates[${i}]`)),
    seed: wholeNumber(opts.seed, 1, 'heygenSandbox.seed', 0),
    clock: opts.clock ?? systemClock,
    maxTextLength: wholeNumber(opts.maxTextLength, 1000, 'heygenSandbox.maxTextLength', 1),
    missingText: opts.missingTextVariables ?? 'reject',
    faults,
    concurrency: wholeNumber(opts.concurrency, 3, 'heygenSandbox.concurrency', 1),
    overflow: opts.overflow ?? '429',
    credits: opts.credits === undefined ? null : wholeNumber(opts.credits, 0, 'heygenSandbox.credits', 0),
    callbackRetryDelaysMs: retryDelays,
    callbackTimeoutMs: wholeNumber(opts.callbackTimeoutMs, 5000, 'heygenSandbox.callbackTimeoutMs', 1),
    signatureScheme: readScheme(opts.signatureScheme),
    preRegistered,
  };
}
