/**
 * Turns what `fetch` throws when no answer came back into facts: was it our
 * timeout, and could the request have reached the provider?
 */

export interface NetworkFailure {
  code: 'timeout' | 'network';
  /** False only when the connection was provably never made (refused, DNS). */
  mayHaveReachedServer: boolean;
  /** The low-level reason (`ECONNRESET`, `UND_ERR_SOCKET`, ...), for the message. */
  detail: string;
}

const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Every error in the `cause` chain, including the members of an AggregateError. */
function causes(err: unknown): unknown[] {
  const seen: unknown[] = [];
  const queue: unknown[] = [err];
  while (queue.length > 0 && seen.length < 16) {
    const current = queue.shift();
    if (current === undefined || current === null || seen.includes(current)) continue;
    seen.push(current);
    if (current instanceof AggregateError) queue.push(...current.errors);
    if (current instanceof Error) queue.push(current.cause);
  }
  return seen;
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isTimeout(err: unknown): boolean {
  return causes(err).some((e) => e instanceof Error && e.name === 'TimeoutError');
}

export function describeNetworkFailure(err: unknown): NetworkFailure {
  if (isTimeout(err)) return { code: 'timeout', mayHaveReachedServer: true, detail: 'timed out' };
  const chain = causes(err);
  const codes = chain.map(codeOf).filter((c): c is string => c !== undefined);
  const lastMessage = chain
    .filter((e): e is Error => e instanceof Error)
    .map((e) => e.message)
    .at(-1);
  const detail = codes[0] ?? lastMessage ?? 'connection failed';
  return { code: 'network', mayHaveReachedServer: !codes.some((c) => NEVER_CONNECTED.has(c)), detail };
}
