/**
 * Whether a state-changing request comes from the dashboard's own pages.
 * Browsers say where a request comes from: `Sec-Fetch-Site` (anything but
 * `same-origin`, or `none` for a typed address, is refused) and `Origin`
 * (its host must be the one the request was sent to, or `PUBLIC_URL`'s).
 * A client sending neither (curl) still needs the session's CSRF token.
 */
export interface OriginHeaders {
  origin?: string | string[] | undefined;
  'sec-fetch-site'?: string | string[] | undefined;
  host?: string | undefined;
}

export function fromOwnOrigin(headers: OriginHeaders, publicUrl: string | undefined): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (typeof origin !== 'string') return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    // `Origin: null` (a sandboxed frame, a file, a redirect chain) or garbage.
    return false;
  }
  if (headers.host !== undefined && host === headers.host.toLowerCase()) return true;
  if (publicUrl !== undefined) {
    try {
      return host === new URL(publicUrl).host;
    } catch {
      return false;
    }
  }
  return false;
}
