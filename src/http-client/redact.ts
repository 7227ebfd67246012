/**
 * Keeps credentials out of error messages. Provider bodies are echoed into
 * messages, and a provider may quote the token it rejected.
 */

const SENSITIVE_HEADERS = new Set(['authorization', 'x-api-key', 'cookie', 'proxy-authorization']);
/**
 * Secrets this long or longer are replaced wherever they occur. Shorter ones
 * (a 2-character database password) would match inside ordinary words and
 * numbers, mangling every message, so they are replaced only where they stand
 * alone (no letter or digit on either side).
 */
export const MIN_SUBSTRING_SECRET_LENGTH = 4;

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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces every secret in `secrets` (any length, see above) with `replacement`. */
export function createScrubber(secrets: readonly string[], replacement: string): Redactor {
  const distinct = [...new Set(secrets)].filter((s) => s !== '');
  // Longest first, so a bearer header is replaced before the token inside it.
  const long = distinct.filter((s) => s.length >= MIN_SUBSTRING_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const short = distinct.filter((s) => s.length < MIN_SUBSTRING_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  const alone =
    short.length === 0 ? null : new RegExp(`(?<![A-Za-z0-9])(?:${short.map(escapeRegExp).join('|')})(?![A-Za-z0-9])`, 'g');
  return (text) => {
    let out = long.reduce((acc, secret) => acc.split(secret).join(replacement), text);
    // A function replacement: `$&` in the replacement text stays literal.
    if (alone !== null) out = out.replace(alone, () => replacement);
    return out;
  };
}

export function createRedactor(secrets: readonly string[]): Redactor {
  return createScrubber(secrets, '[redacted]');
}
