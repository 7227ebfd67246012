/** Prometheus metrics of one process (`GET /metrics`). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  eventsReceived: Counter<'source' | 'outcome'>;
  renderTransitions: Counter<'campaign' | 'to'>;
  rendersByState: Gauge<'state'>;
  providerCalls: Counter<'provider' | 'operation' | 'outcome'>;
  providerLatency: Histogram<'provider' | 'operation'>;
  retries: Counter<'stage'>;
  queueDepth: Gauge;
  oldestDueSeconds: Gauge;
  pendingCrmWrites: Gauge;
  intakeLatency: Histogram<'route'>;
  queuePaused: Gauge<'scope'>;
  /** 1 while a credit budget (`global`, `campaign:ID`) is used up for the UTC day. */
  budgetExhausted: Gauge<'scope'>;
  /** Webhooks Journal entries stored (each with its events, in one transaction). */
  journalEntries: Counter;
  /** Journal entries or events that could not be read, skipped by reason (`file`, `event`). */
  journalSkipped: Counter<'what'>;
  /** Video-page events counted, by type (`play`, `progress`, `complete`, `cta`). */
  engagementEvents: Counter<'type'>;
  /** Video-page events refused, by reason (`invalid`, `too_large`, `unsupported_type`, `unknown_token`, `rate_limited`). */
  engagementRefused: Counter<'reason'>;
  /** Seconds worker loops waited for webhook intake to go first (`engine/webhooks-first.ts`). */
  workerYieldSeconds: Counter;
  /** SQLite: each flush of the WAL to disk, which every durable commit (a webhook's 2xx among them) waits for. */
  walFlush: Histogram;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'reelay_' });
  const registers = [registry];
  return {
    registry,
    eventsReceived: new Counter({
      name: 'reelay_events_received_total',
      help: 'Inbound events by source and outcome (accepted, ignored, duplicate, rejected)',
      labelNames: ['source', 'outcome'],
      registers,
    }),
    renderTransitions: new Counter({
      name: 'reelay_render_transitions_total',
      help: 'Render state changes by campaign and new state',
      labelNames: ['campaign', 'to'],
      registers,
    }),
    rendersByState: new Gauge({ name: 'reelay_renders', help: 'Renders in the store by state', labelNames: ['state'], registers }),
    providerCalls: new Counter({
      name: 'reelay_provider_calls_total',
      help: 'HubSpot and HeyGen calls by operation and outcome (HTTP status or error code)',
      labelNames: ['provider', 'operation', 'outcome'],
      registers,
    }),
    providerLatency: new Histogram({
      name: 'reelay_provider_call_seconds',
      help: 'Latency of HubSpot and HeyGen calls',
      labelNames: ['provider', 'operation'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    retries: new Counter({ name: 'reelay_retries_total', help: 'Retries scheduled by stage', labelNames: ['stage'], registers }),
    queueDepth: new Gauge({ name: 'reelay_queue_due', help: 'Live renders that are due now', registers }),
    oldestDueSeconds: new Gauge({ name: 'reelay_queue_oldest_due_seconds', help: 'Age of the oldest due render', registers }),
    pendingCrmWrites: new Gauge({ name: 'reelay_crm_writes_pending', help: 'CRM writes waiting in the outbox', registers }),
    intakeLatency: new Histogram({
      name: 'reelay_intake_seconds',
      help: 'Time to durably store an inbound webhook',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
    queuePaused: new Gauge({ name: 'reelay_queue_paused', help: '1 while the queue is paused for an account problem', labelNames: ['scope'], registers }),
    budgetExhausted: new Gauge({
      name: 'reelay_budget_exhausted',
      help: '1 while a daily credit budget (scope global or campaign:ID) is used up and renders wait',
      labelNames: ['scope'],
      registers,
    }),
    journalEntries: new Counter({ name: 'reelay_journal_entries_total', help: 'Webhooks Journal entries read and stored', registers }),
    journalSkipped: new Counter({
      name: 'reelay_journal_entries_skipped_total',
      help: 'Malformed Webhooks Journal files (what=file) or events (what=event) skipped',
      labelNames: ['what'],
      registers,
    }),
    engagementEvents: new Counter({
      name: 'reelay_engagement_events_total',
      help: 'Video-page events (POST /v/:token/events) counted, by type',
      labelNames: ['type'],
      registers,
    }),
    engagementRefused: new Counter({
      name: 'reelay_engagement_events_refused_total',
      help: 'Video-page events refused (nothing stored), by reason',
      labelNames: ['reason'],
      registers,
    }),
    workerYieldSeconds: new Counter({
      name: 'reelay_worker_yield_seconds_total',
      help: 'Seconds worker loops waited so that arriving webhooks were answered first (worker.yieldToWebhooks)',
      registers,
    }),
    walFlush: new Histogram({
      name: 'reelay_sqlite_wal_flush_seconds',
      help: 'SQLite: time to flush the write-ahead log to disk, which durable commits (webhook answers among them) wait for',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    }),
  };
}
