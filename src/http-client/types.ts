/**
 * The contract of the JSON-over-fetch layer both provider clients stand on.
 */
import type { Clock } from '../core/clock.js';
import type { Provider } from '../core/errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export type QueryValue = string | number | boolean | undefined;

export interface HttpRequest {
  /** Names the call in errors and metrics, e.g. `crm.batchRead`, `templates.render`. */
  operation: string;
  method: HttpMethod;
  /** Path below `baseUrl`, already encoded (`/crm/v3/objects/contacts/42`). */
  path: string;
  /** Undefined values are left out. */
  query?: Record<string, QueryValue>;
  /** Serialised as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpResponse<T> {
  status: number;
  headers: Headers;
  /** The parsed JSON body, `null` when the body was empty. */
  data: T;
}

/** What `onResponse` sees for every answer, successful or not. */
export interface ResponseInfo {
  operation: string;
  status: number;
  headers: Headers;
  durationMs: number;
}

/** The facts an error body and its status carry, before they become a ProviderError. */
export interface FailureFacts {
  status: number;
  code: string;
  policy: string | undefined;
}

export interface JsonHttpOptions {
  baseUrl: string;
  /** Sent on every request. `Authorization` and `X-Api-Key` values are treated as secrets. */
  headers: Record<string, string>;
  timeoutMs: number;
  provider: Provider;
  fetch?: typeof fetch;
  clock?: Clock;
  onResponse?: (info: ResponseInfo) => void;
  /** Further strings that must never appear in an error message. */
  secrets?: readonly string[];
  /** Wait to suggest when an answer asks us to back off but sends no `Retry-After`. */
  /** Treat a 2xx `{"error": {...}, "data": null}` as a refusal (HeyGen v1/v2). */
  embeddedErrors?: boolean;
  retryAfterFallback?: (facts: FailureFacts, nowMs: number) => number | undefined;
}

export interface JsonHttp {
  request<T>(req: HttpRequest): Promise<HttpResponse<T>>;
}
