/**
 * Errors the simulated API answers with, and their three wire shapes:
 * v3 `{"error":{code,message}}`, v2 `{"error":{code,message},"data":null}`,
 * v1 `{"code":<http status>,"message","data":null,"error":{code,message}}`.
 */
export type ApiFamily = 'v1' | 'v2' | 'v3';

export class SandboxApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'SandboxApiError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export const invalidParameter = (message: string): SandboxApiError => new SandboxApiError(400, 'invalid_parameter', message);

export const notFound = (code: string, message: string): SandboxApiError => new SandboxApiError(404, code, message);

/** The API family of a request path, or null for `/_sandbox/*` and anything else. */
export function familyOf(url: string): ApiFamily | null {
  if (url.startsWith('/v3/')) return 'v3';
  if (url.startsWith('/v2/')) return 'v2';
  if (url.startsWith('/v1/')) return 'v1';
  return null;
}

export function errorBody(family: ApiFamily, err: SandboxApiError): Record<string, unknown> {
  const error = { code: err.code, message: err.message };
  switch (family) {
    case 'v3':
      return { error };
    case 'v2':
      return { error, data: null };
    case 'v1':
      return { code: err.status, message: err.message, data: null, error };
  }
}
