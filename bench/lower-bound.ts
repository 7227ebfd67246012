/**
 * The fastest any integration could drain a burst, given only the two
 * providers' limits. Time to drain is reported as a multiple of this.
 *
 * HubSpot: every record must be read and written at least once, 100 per
 * batch call, so at least 2 * ceil(N / 100) calls. A rolling window lets
 * `burst` calls through at once and the next `burst` only 10 s later, so k
 * calls need at least (ceil(k / burst) - 1) * 10 s.
 *
 * HeyGen: N renders of `renderMs` each, `concurrency` at a time, need at
 * least ceil(N / concurrency) * renderMs.
 */
export interface DrainLimits {
  records: number;
  hubspotBurst: number;
  hubspotWindowMs: number;
  heygenConcurrency: number;
  renderMs: number;
}

export interface DrainBound {
  hubspotCalls: number;
  hubspotMs: number;
  heygenMs: number;
  /** The larger of the two: the providers' limits allow nothing faster. */
  boundMs: number;
  bindingProvider: 'HubSpot' | 'HeyGen';
}

const BATCH = 100;

export function drainLowerBound(l: DrainLimits): DrainBound {
  const hubspotCalls = 2 * Math.ceil(l.records / BATCH);
  const hubspotMs = (Math.ceil(hubspotCalls / l.hubspotBurst) - 1) * l.hubspotWindowMs;
  const heygenMs = Math.ceil(l.records / l.heygenConcurrency) * l.renderMs;
  return {
    hubspotCalls,
    hubspotMs,
    heygenMs,
    boundMs: Math.max(hubspotMs, heygenMs),
    bindingProvider: hubspotMs > heygenMs ? 'HubSpot' : 'HeyGen',
  };
}
