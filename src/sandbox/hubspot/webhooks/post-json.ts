/** One webhook attempt over HTTP, reduced to what the retry rules need. */
export type PostOutcome =
  | { kind: 'response'; status: number; retryAfter: string | null }
  | { kind: 'timeout' }
  | { kind: 'network'; error: string }
  | { kind: 'aborted' };

export async function postJson(url: string, body: string, headers: Record<string, string>, timeoutMs: number, stop: AbortSignal): Promise<PostOutcome> {
  const signal = AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/)', ...headers },
      body,
      signal,
    });
    await response.arrayBuffer();
    return { kind: 'response', status: response.status, retryAfter: response.headers.get('retry-after') };
  } catch (err) {
    if (stop.aborted) return { kind: 'aborted' };
    if (signal.aborted) return { kind: 'timeout' };
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return { kind: 'network', error: `${err instanceof Error ? err.message : String(err)}${cause}` };
  }
}

export function describeOutcome(outcome: PostOutcome): { status?: number; error?: string } {
  switch (outcome.kind) {
    case 'response':
      return { status: outcome.status };
    case 'timeout':
      return { error: 'timeout' };
    case 'aborted':
      return { error: 'aborted (sandbox closed)' };
    case 'network':
      return { error: outcome.error };
  }
}
