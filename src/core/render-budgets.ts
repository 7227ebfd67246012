/**
 * Credit budgets (`budgets:` in reelay.yaml): caps on renders billed per UTC
 * day, globally and per campaign. A render takes a slot when it is reserved
 * for submission (before HeyGen is called); both the global cap and its
 * campaign's cap must have room. Pure decisions only: the store counts and
 * takes the slots in the reservation's transaction (`store/reserve-submissions.ts`).
 */

/** The caps in force (the configuration's `budgets`). */
export interface BudgetCaps {
  daily?: number | undefined;
  campaigns: Record<string, { daily: number }>;
}

/** A scope's use today: `global` or `campaign:ID`; `cap` null when uncapped. */
export interface BudgetUse {
  scope: string;
  cap: number | null;
  used: number;
  /** The UTC day counted, `YYYY-MM-DD`. */
  day: string;
}

/** Slots already taken today, per campaign. */
export type UsedByCampaign = ReadonlyMap<string, number>;

export const GLOBAL_SCOPE = 'global';
export const campaignScope = (campaignId: string): string => `campaign:${campaignId}`;

const DAY_MS = 86_400_000;

/** The UTC day of `now`, `YYYY-MM-DD`: the unit budgets count by. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** When the UTC day of `now` ends (the next midnight UTC, epoch ms). */
export function nextUtcMidnight(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
}

export function hasCaps(caps: BudgetCaps): boolean {
  return caps.daily !== undefined || Object.keys(caps.campaigns).length > 0;
}

function totalUsed(used: UsedByCampaign): number {
  let total = 0;
  for (const n of used.values()) total += n;
  return total;
}

/**
 * Each scope's use: the global one first, then every campaign in
 * `campaignIds` (capped or not) and every capped campaign.
 */
export function budgetUse(caps: BudgetCaps, used: UsedByCampaign, day: string, campaignIds: readonly string[] = []): BudgetUse[] {
  const ids = [...new Set([...campaignIds, ...Object.keys(caps.campaigns)])];
  return [
    { scope: GLOBAL_SCOPE, cap: caps.daily ?? null, used: totalUsed(used), day },
    ...ids.map((id) => ({ scope: campaignScope(id), cap: caps.campaigns[id]?.daily ?? null, used: used.get(id) ?? 0, day })),
  ];
}

export function isExhausted(use: Pick<BudgetUse, 'cap' | 'used'>): boolean {
  return use.cap !== null && use.used >= use.cap;
}

/** Campaigns that can take no slot today: their own cap is reached (the global cap is checked apart). */
export function exhaustedCampaigns(caps: BudgetCaps, used: UsedByCampaign): string[] {
  return Object.entries(caps.campaigns)
    .filter(([id, cap]) => (used.get(id) ?? 0) >= cap.daily)
    .map(([id]) => id);
}

export interface SlotCandidate {
  id: number;
  campaignId: string;
  /** The render already holds a slot for its current submission (a retry with the same idempotency key). */
  charged: boolean;
}

/**
 * Which candidates (oldest due first) may be reserved now, and which of
 * them take a new slot. A render that already holds a slot for its current
 * submission passes without taking another; the others pass while both the
 * global and their campaign's caps have room.
 */
export function allocateSlots(candidates: readonly SlotCandidate[], caps: BudgetCaps, used: UsedByCampaign): { chosen: number[]; charged: SlotCandidate[] } {
  let globalLeft = caps.daily === undefined ? Infinity : caps.daily - totalUsed(used);
  const campaignLeft = new Map<string, number>();
  for (const [id, cap] of Object.entries(caps.campaigns)) campaignLeft.set(id, cap.daily - (used.get(id) ?? 0));
  const chosen: number[] = [];
  const charged: SlotCandidate[] = [];
  for (const candidate of candidates) {
    if (candidate.charged) {
      chosen.push(candidate.id);
      continue;
    }
    const left = campaignLeft.get(candidate.campaignId) ?? Infinity;
    if (globalLeft <= 0 || left <= 0) continue;
    globalLeft -= 1;
    if (campaignLeft.has(candidate.campaignId)) campaignLeft.set(candidate.campaignId, left - 1);
    chosen.push(candidate.id);
    charged.push(candidate);
  }
  return { chosen, charged };
}

/** The pause reason an exhausted scope shows (`doctor`, the admin API, the dashboard). */
export function exhaustedReason(use: BudgetUse, now: number): string {
  const which = use.scope === GLOBAL_SCOPE ? 'the daily budget' : `campaign ${use.scope.slice('campaign:'.length)}'s daily budget`;
  return `${which} of ${use.cap} renders is used up (${use.used} billed on ${use.day} UTC); renders wait in enriched until ${new Date(nextUtcMidnight(now)).toISOString()} or until the cap is raised and the configuration reloaded`;
}
