/**
 * JSON over the platform `fetch`: one place for timeouts, error bodies,
 * classification and redaction, so the provider clients only map shapes.
 *
 * Every failure leaves as a `ProviderError`:
 * - no answer (timeout, reset, refused) -> code `timeout` / `network`, retryable;
 * - an answer outside 2xx -> code and message from the body, classified by
 *   `classifyHttpFailure`, `retryAfterMs` from `Retry-After` (or the fallback);
 * - a 2xx whose body is not JSON -> code `invalid_response`, retryable;
 * - with `embeddedErrors`, a 2xx of the form `{"error": {...}, "data": null}`
 *   (HeyGen v1/v2 do this) -> a refusal built from that error.
 *
 * `maybeApplied` is set for a request that changes something (not GET) when
 * the provider may have acted on it: no answer after the connection was made,
 * a 5xx (a gateway may answer 502/504 after the upstream accepted), or a 409
 * `request_in_progress` (the first attempt is running).
 */
import { classifyHttpFailure, parseRetryAfter } from '../core/classify.js';
import { systemClock } from '../core/clock.js';
import { ProviderError } from '../core/errors.js';
import { isRecord, readErrorBody } from './error-body.js';
import { describeNetworkFailure } from './network-failure.js';
import { createRedactor, secretsInHeaders } from './redact.js';
import type { HttpMethod, HttpRequest, HttpResponse, JsonHttp, JsonHttpOptions, QueryValue } from './types.js';

const MAX_MESSAGE_LENGTH = 300;

function buildUrl(baseUrl: string, path: string, query: Record<string, QueryValue> | undefined): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

function changesState(method: HttpMethod): boolean {
  return method !== 'GET';
}

/** Parses a body; `undefined` means it was not JSON. */
function parseJson(raw: string): unknown {
  if (raw.trim() === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** A 2xx body that carries an error and no data. */
function isEmbeddedError(body: unknown): body is Record<string, unknown> {
  if (!isRecord(body)) return false;
  const hasError = body.error !== undefined && body.error !== null && body.error !== '';
  return hasError && (body.data === undefined || body.data === null);
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_MESSAGE_LENGTH ? `${oneLine.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : oneLine;
}

export function createJsonHttp(options: JsonHttpOptions): JsonHttp {
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const redact = createRedactor([...secretsInHeaders(options.headers), ...(options.secrets ?? [])]);
  const provider = options.provider;

  function notify(operation: string, status: number, headers: Headers, startedAt: number): void {
    if (!options.onResponse) return;
    try {
      options.onResponse({ operation, status, headers, durationMs: Math.max(0, clock.now() - startedAt) });
    } catch {
      // An observer (metrics, budgets) must never turn an answer into a
      // failure: a create that succeeded would look failed and be repeated.
    }
  }

  function noAnswer(req: HttpRequest, err: unknown): ProviderError {
    const failure = describeNetworkFailure(err);
    const what = failure.code === 'timeout' ? `timed out after ${options.timeoutMs}ms` : `failed: ${failure.detail}`;
    return new ProviderError({
      provider,
      operation: req.operation,
      code: failure.code,
      message: redact(`${req.method} ${req.path} ${what}`),
      failureClass: classifyHttpFailure(provider, 0),
      maybeApplied: changesState(req.method) && failure.mayHaveReachedServer,
      cause: err,
    });
  }

  function rejected(req: HttpRequest, response: Response, raw: string): ProviderError {
    const status = response.status;
    // A body that is not JSON is usually a proxy's HTML page: not a message.
    const facts = readErrorBody(parseJson(raw) ?? null);
    const code = facts.code ?? `http_${status}`;
    const nowMs = clock.now();
    const retryAfterMs =
      parseRetryAfter(response.headers.get('retry-after'), nowMs) ??
      options.retryAfterFallback?.({ status, code, policy: facts.policy }, nowMs);
    const message = facts.message ?? (response.statusText || `HTTP ${status}`);
    return new ProviderError({
      provider,
      operation: req.operation,
      status,
      code,
      message: redact(shorten(message)),
      failureClass: classifyHttpFailure(provider, status, code),
      retryAfterMs,
      policy: facts.policy,
      maybeApplied: changesState(req.method) && (status >= 500 || code === 'request_in_progress'),
    });
  }

  function embedded(req: HttpRequest, status: number, body: Record<string, unknown>): ProviderError {
    const facts = readErrorBody(body);
    const code = facts.code ?? 'embedded_error';
    return new ProviderError({
      provider,
      operation: req.operation,
      status,
      code,
      message: redact(shorten(facts.message ?? `answered ${status} with an error and no data`)),
      // The body says the request was refused; classify it as a 400 would be.
      failureClass: classifyHttpFailure(provider, 400, code),
    });
  }

  function unreadable(req: HttpRequest, status: number): ProviderError {
    return new ProviderError({
      provider,
      operation: req.operation,
      status,
      code: 'invalid_response',
      message: `${req.method} ${req.path} answered ${status} with a body that is not JSON`,
      failureClass: 'retryable',
      maybeApplied: changesState(req.method),
    });
  }

  async function request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...req.headers };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const startedAt = clock.now();

    let response: Response;
    let raw: string;
    try {
      response = await doFetch(buildUrl(options.baseUrl, req.path, req.query), {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      notify(req.operation, response.status, response.headers, startedAt);
      raw = await response.text();
    } catch (err) {
      throw noAnswer(req, err);
    }

    if (response.status < 200 || response.status > 299) throw rejected(req, response, raw);
    const data = parseJson(raw);
    if (data === undefined) throw unreadable(req, response.status);
    if (options.embeddedErrors && isEmbeddedError(data)) throw embedded(req, response.status, data);
    return { status: response.status, headers: response.headers, data: data as T };
  }

  return { request };
}
