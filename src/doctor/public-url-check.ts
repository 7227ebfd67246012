/** `PUBLIC_URL` reaches this service: `GET PUBLIC_URL/healthz` answers 200. */
import { describeNetworkFailure } from '../http-client/network-failure.js';
import { fail, pass, type CheckOutcome } from './outcome.js';

const TIMEOUT_MS = 5_000;

export async function checkPublicUrl(publicUrl: string | undefined, fetchFn: typeof fetch = fetch): Promise<CheckOutcome> {
  if (publicUrl === undefined) {
    return fail(
      'PUBLIC_URL is not set: HeyGen cannot call back, and video links fall back to expiring URLs',
      'set PUBLIC_URL to the https address HubSpot and HeyGen reach this service at',
    );
  }
  const url = `${publicUrl}/healthz`;
  const fix = 'start `reelay serve` and make PUBLIC_URL reach it from outside (DNS, proxy or tunnel)';
  try {
    const response = await fetchFn(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.arrayBuffer();
    if (response.status === 200) return pass(`${url} answers`);
    return fail(`${url} answered ${response.status}, not 200`, fix);
  } catch (err) {
    const failure = describeNetworkFailure(err);
    return fail(`${url} does not answer (${failure.code === 'timeout' ? `no answer within ${TIMEOUT_MS / 1000} s` : failure.detail})`, fix);
  }
}
