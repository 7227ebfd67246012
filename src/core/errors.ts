/**
 * Typed errors shared by the whole service. Every failure that crosses a
 * boundary is one of these, carrying a class that tells the engine what to do:
 *
 * - `retryable`: try again later (timeouts, resets, 5xx, 429, HubSpot 423);
 * - `permanent`: this render cannot succeed as asked (bad parameters, unknown
 *   template, record gone); fail it with the code and a human sentence;
 * - `blocking`: the account cannot work at all (bad token, missing scope, no
 *   credit). Failing every queued render one by one would be wrong, so the
 *   engine pauses the queue and raises one alert instead.
 */

export type Provider = 'hubspot' | 'heygen';
export type FailureClass = 'retryable' | 'permanent' | 'blocking';

export interface ProviderErrorInit {
  provider: Provider;
  /** What we were doing, e.g. `crm.batchRead` or `templates.render`. */
  operation: string;
  /** HTTP status, absent for network failures. */
  status?: number;
  /** Provider code (`insufficient_credit`, `RATE_LIMIT`, ...) or our own (`timeout`, `network`). */
  code: string;
  message: string;
  failureClass: FailureClass;
  /** How long the provider asked us to wait, when it said so. */
  retryAfterMs?: number;
  /** HubSpot rate-limit policy from a 429 body (`TEN_SECONDLY_ROLLING`, `DAILY`, `SECONDLY`). */
  policy?: string;
  /**
   * True when the request may have reached the provider and taken effect
   * (a timeout or reset after the body was sent). A create that failed this
   * way must never be blindly repeated.
   */
  maybeApplied?: boolean;
  cause?: unknown;
}

export class ProviderError extends Error {
  readonly provider: Provider;
  readonly operation: string;
  readonly status: number | undefined;
  readonly code: string;
  readonly failureClass: FailureClass;
  readonly retryAfterMs: number | undefined;
  readonly policy: string | undefined;
  readonly maybeApplied: boolean;

  constructor(init: ProviderErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ProviderError';
    this.provider = init.provider;
    this.operation = init.operation;
    this.status = init.status;
    this.code = init.code;
    this.failureClass = init.failureClass;
    this.retryAfterMs = init.retryAfterMs;
    this.policy = init.policy;
    this.maybeApplied = init.maybeApplied ?? false;
  }

  get retryable(): boolean {
    return this.failureClass === 'retryable';
  }

  /** One line for logs, timelines and the CRM: `heygen 402 insufficient_credit: ...`. */
  describe(): string {
    const status = this.status === undefined ? '' : ` ${this.status}`;
    return `${this.provider}${status} ${this.code}: ${this.message}`;
  }
}

/** A configuration problem; `path` names the offending key (`campaigns[0].template`). */
export class ConfigError extends Error {
  readonly path: string | undefined;
  constructor(message: string, path?: string) {
    super(path ? `${path}: ${message}` : message);
    this.name = 'ConfigError';
    this.path = path;
  }
}

/** A render was asked to move along a transition the state machine forbids. */
export class IllegalTransitionError extends Error {
  readonly from: string;
  readonly to: string;
  constructor(from: string, to: string, renderId?: number | string) {
    super(`illegal render transition ${from} -> ${to}${renderId === undefined ? '' : ` (render ${renderId})`}`);
    this.name = 'IllegalTransitionError';
    this.from = from;
    this.to = to;
  }
}

export function isProviderError(err: unknown): err is ProviderError {
  return err instanceof ProviderError;
}
