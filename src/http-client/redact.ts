/**
 * Keeps credentials out of error messages. Provider bodies are echoed into
 * messages, and a provider may quote the token it rejected.
 */

const SENSITIVE_HEADERS = new Set(['authorization', 'x-api-key', 'cookie', 'proxy-authorization']);
const MIN_SECRET_LENGTH = 4;

export type Redactor = (text: string) => string;

/** The credential values among `headers`, with a `Bearer ` prefix stripped. */
export function secretsInHeaders(headers: Record<string, string>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (!SENSITIVE_HEADERS.has(name.toLowerCase())) continue;
    secrets.push(value);
    const scheme = /^\s*\S+\s+(\S.*)$/.exec(value);
    if (scheme?.[1]) secrets.push(scheme[1]);
  }
  return secrets;
}

export function createRedactor(secrets: readonly string[]): Redactor {
  // Longest first, so a bearer header is replaced before the token inside it.
  const ordered = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((acc, secret) => acc.split(secret).join('[redacted]'), text);
}
