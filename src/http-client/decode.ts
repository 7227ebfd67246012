/**
 * Checks a 2xx body against the shape a client relies on. A provider that
 * answers success with an unexpected shape gets a typed error, not a crash
 * three calls later on `undefined`.
 */
import type { z } from 'zod';
import { ProviderError } from '../core/errors.js';
import type { Provider } from '../core/errors.js';
import type { HttpMethod, HttpRequest, JsonHttp } from './types.js';

export interface DecodeContext {
  provider: Provider;
  operation: string;
  method: HttpMethod;
  status: number;
}

export function decodeBody<S extends z.ZodType>(schema: S, data: unknown, ctx: DecodeContext): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new ProviderError({
    provider: ctx.provider,
    operation: ctx.operation,
    status: ctx.status,
    code: 'invalid_response',
    message: `unexpected response shape${where}: ${issue?.message ?? 'invalid'}`,
    failureClass: 'retryable',
    // The provider accepted a change whose result we cannot read: it may well have happened.
    maybeApplied: ctx.method !== 'GET',
  });
}

export type DecodedCall = <S extends z.ZodType>(req: HttpRequest, schema: S) => Promise<{ data: z.output<S>; headers: Headers; status: number }>;

/** A request whose 2xx body is checked against `schema` before it is returned. */
export function createDecodedCall(http: JsonHttp, provider: Provider): DecodedCall {
  return async (req, schema) => {
    const res = await http.request<unknown>(req);
    const data = decodeBody(schema, res.data, { provider, operation: req.operation, method: req.method, status: res.status });
    return { data, headers: res.headers, status: res.status };
  };
}
