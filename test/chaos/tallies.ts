/** What a chaos run did and what came of it, as numbers and as the lines the soak prints. */
import type { HeyGenSandboxStats } from '../../src/sandbox/heygen/stats.js';
import type { HubSpotSandboxStats } from '../../src/sandbox/hubspot/stats.js';
import type { DeliveryLogEntry } from '../../src/sandbox/hubspot/webhooks/delivery-log.js';
import type { Outcomes } from './verify.js';

export interface ChaosTallies {
  seed: number;
  elapsedMs: number;
  /** Renderable records per campaign, and records with unfit data. */
  records: { 'bdr-intro': number; onboarding: number; renewal: number; unfit: number };
  /** Triggers fired per pass (a record fires 1-3 times per pass). */
  triggers: { first: number; second: number };
  deliveries: {
    subscriptionEvents: number;
    duplicatesInjected: number;
    subscriptionAttempts: number;
    workflowSent: number;
    workflowAttempts: number;
    /** Deliveries the sandbox gave up on: a trigger Reelay never saw (should be 0). */
    givenUp: number;
    /** How Reelay answered the attempts (`200`, `503`, `ECONNREFUSED`, `timeout`...). */
    answers: Record<string, number>;
  };
  kills: number;
  /** Kills that fell just after HeyGen accepted a create. */
  aimedKills: number;
  starts: number;
  rendersByState: Record<string, number>;
  outcomes: Outcomes;
  ledger: { entries: number; billed: number; duplicateKeysBilled: number; recordsBilledTwice: number; newInSecondPass: number };
  heygen: Pick<HeyGenSandboxStats, 'requests' | 'createsAccepted' | 'createsReplayed' | 'rateLimited' | 'errorsInjected' | 'timeoutsAfterAccept'> & {
    callbacksLost: number;
    callbacksDuplicated: number;
  };
  hubspot: { requests: number; rateLimited: number; multiStatus: number; serverErrors: number; maxRequestsIn10s: number };
}

export function heygenTallies(stats: HeyGenSandboxStats): ChaosTallies['heygen'] {
  return {
    requests: stats.requests,
    createsAccepted: stats.createsAccepted,
    createsReplayed: stats.createsReplayed,
    rateLimited: stats.rateLimited,
    errorsInjected: stats.errorsInjected,
    timeoutsAfterAccept: stats.timeoutsAfterAccept,
    callbacksLost: stats.callbacks.lost,
    callbacksDuplicated: stats.callbacks.duplicated,
  };
}

export function hubspotTallies(stats: HubSpotSandboxStats): ChaosTallies['hubspot'] {
  return {
    requests: stats.totalRequests,
    rateLimited: stats.statuses['429'] ?? 0,
    multiStatus: stats.multiStatus,
    serverErrors: stats.faults.serverErrors,
    maxRequestsIn10s: stats.maxRequestsIn10s,
  };
}

/** Webhook attempts by answer: the HTTP status, or the network error's code. */
export function webhookAnswers(log: readonly DeliveryLogEntry[]): Record<string, number> {
  const answers: Record<string, number> = {};
  for (const entry of log) {
    const key = entry.status !== undefined ? String(entry.status) : (/\bE[A-Z]{3,}\b/.exec(entry.error ?? '')?.[0] ?? entry.error ?? 'unknown');
    answers[key] = (answers[key] ?? 0) + 1;
  }
  return answers;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
}

export function formatTallies(t: ChaosTallies): string {
  return [
    `seed ${t.seed}, ${(t.elapsedMs / 1000).toFixed(1)} s`,
    `records     bdr-intro ${t.records['bdr-intro']}, onboarding ${t.records.onboarding}, renewal ${t.records.renewal}, unfit ${t.records.unfit}`,
    `triggers    first pass ${t.triggers.first}, second pass ${t.triggers.second}`,
    `deliveries  subscription events ${t.deliveries.subscriptionEvents} (+${t.deliveries.duplicatesInjected} duplicated, ${t.deliveries.subscriptionAttempts} batch attempts), workflow ${t.deliveries.workflowSent} (${t.deliveries.workflowAttempts} attempts), given up ${t.deliveries.givenUp}`,
    `answers     ${formatCounts(t.deliveries.answers)}`,
    `kills       ${t.kills} SIGKILLs (${t.aimedKills} just after a HeyGen create was accepted), ${t.starts} starts`,
    `renders     ${formatCounts(t.rendersByState)}`,
    `outcomes    completed ${t.outcomes.completed}, failed ${t.outcomes.failed}, skipped ${t.outcomes.skipped}`,
    `ledger      ${t.ledger.entries} creates, ${t.ledger.billed} billed, duplicate keys billed ${t.ledger.duplicateKeysBilled}, records billed twice ${t.ledger.recordsBilledTwice}, new in second pass ${t.ledger.newInSecondPass}`,
    `heygen      ${t.heygen.requests} requests, ${t.heygen.createsAccepted} creates accepted, ${t.heygen.createsReplayed} replayed, ${t.heygen.rateLimited} 429s, ${t.heygen.errorsInjected} 5xx, ${t.heygen.timeoutsAfterAccept} timeouts after accept, callbacks lost ${t.heygen.callbacksLost} / duplicated ${t.heygen.callbacksDuplicated}`,
    `hubspot     ${t.hubspot.requests} requests, ${t.hubspot.rateLimited} 429s, ${t.hubspot.multiStatus} 207s, ${t.hubspot.serverErrors} 5xx, peak ${t.hubspot.maxRequestsIn10s} per 10 s`,
  ].join('\n');
}
