/** In-process fault and limit control; the `/_sandbox/*` HTTP routes call the same functions. */
import type { FaultInjector, FaultSettings } from './faults.js';
import type { AppLimiter, LimitSettings } from './limits/app-limiter.js';
import type { SandboxTokenInfo } from './http/token-routes.js';

export interface SandboxLimits extends LimitSettings {
  /** Writes become visible to search this long after they happen. */
  searchLagMs: number;
}

export interface SandboxControl {
  faults(): FaultSettings;
  setFaults(patch: Partial<FaultSettings>): FaultSettings;
  clearFaults(): void;
  limits(): SandboxLimits;
  setLimits(patch: Partial<SandboxLimits>): SandboxLimits;
  /** Empties the rate windows and the daily count. */
  resetRateLimits(): void;
  /** Zeroes stats counters, per-record write counts and the webhook log. */
  resetStats(): void;
  /** Replaces the accepted bearer token (revoking the old one): every other token gets 401. */
  setAccessToken(token: string): void;
  /** What HubSpot's token-info endpoints say about the token: its kind and granted scopes. */
  setTokenInfo(patch: Partial<SandboxTokenInfo>): SandboxTokenInfo;
}

export interface ControlDeps {
  faults: FaultInjector;
  limiter: AppLimiter;
  searchLag: { get(): number; set(ms: number): void };
  resetStats: () => void;
  setAccessToken: (token: string) => void;
  setTokenInfo: (patch: Partial<SandboxTokenInfo>) => SandboxTokenInfo;
}

export function createControl(deps: ControlDeps): SandboxControl {
  const limits = (): SandboxLimits => ({ ...deps.limiter.limits(), searchLagMs: deps.searchLag.get() });
  return {
    faults: () => deps.faults.settings(),
    setFaults: (patch) => deps.faults.configure(patch),
    clearFaults: () => deps.faults.clear(),
    limits,
    setLimits: (patch) => {
      const { searchLagMs, ...rest } = patch;
      if (searchLagMs !== undefined) deps.searchLag.set(searchLagMs);
      deps.limiter.configure(rest);
      return limits();
    },
    resetRateLimits: () => deps.limiter.reset(),
    resetStats: deps.resetStats,
    setAccessToken: deps.setAccessToken,
    setTokenInfo: deps.setTokenInfo,
  };
}
