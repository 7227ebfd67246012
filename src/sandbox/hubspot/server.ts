/**
 * A local simulator of HubSpot's CRM API and webhook delivery. It is
 * faithful where HubSpot is awkward: 207 partial failures, rate-limit
 * bodies and headers, a rolling 10 s window, a lagging search index with its
 * own limit, unordered batch results, signed and retried webhooks.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { seededRandom, systemClock, type Clock } from '../../core/clock.js';
import { isTimeZone } from '../../core/zoned-day.js';
import type { HubSpotErrorBody } from './api-error.js';
import { createControl, type SandboxControl } from './control.js';
import { AssociationStore } from './crm/association-store.js';
import { PropertyRegistry } from './crm/property-registry.js';
import { RecordStore } from './crm/record-store.js';
import { createSandboxCrm, type SandboxCrm } from './crm/sandbox-crm.js';
import { FaultInjector, type FaultSettings } from './faults.js';
import { registerAccountRoutes } from './http/account-routes.js';
import { registerAssociationRoutes } from './http/association-routes.js';
import type { SandboxContext } from './http/context.js';
import { registerControlRoutes } from './http/control-routes.js';
import { registerObjectRoutes } from './http/object-routes.js';
import { registerNoteRoutes } from './http/note-routes.js';
import { NoteStore } from './crm/note-store.js';
import { registerPropertyRoutes } from './http/property-routes.js';
import { registerSearchRoutes } from './http/search-routes.js';
import { registerTokenRoutes, SANDBOX_DEFAULT_SCOPES, type SandboxTokenKind } from './http/token-routes.js';
import { deriveSeed, randomUuid } from './ids.js';
import { AppLimiter } from './limits/app-limiter.js';
import { SearchIndex } from './search/search-index.js';
import { StatsCollector, type HubSpotSandboxStats } from './stats.js';
import type { WebhookSettings } from './webhooks/settings.js';
import { WebhookHub, type SandboxWebhooks } from './webhooks/webhook-hub.js';
import { ClientCredentialsGrants, type GrantSettings } from './journal/client-credentials.js';
import { registerJournalRoutes, newJournalCounters, type JournalCounters } from './journal/journal-routes.js';
import { JournalStore, type JournalEntry, type JournalSettings, type JournalSubscription } from './journal/journal-store.js';

export type { HubSpotSandboxStats } from './stats.js';
export type { SandboxControl, SandboxLimits } from './control.js';
export type { SandboxCrm, SandboxRecord, RecordUpdate } from './crm/sandbox-crm.js';
export type { SandboxWebhooks } from './webhooks/webhook-hub.js';
export type { FaultSettings } from './faults.js';
export type { WebhookSettings } from './webhooks/settings.js';
export type { SandboxObjectType } from './crm/object-types.js';
export type { SandboxTokenInfo, SandboxTokenKind } from './http/token-routes.js';
export type { JournalEntry, JournalSettings, JournalSubscription } from './journal/journal-store.js';
export type { GrantSettings } from './journal/client-credentials.js';

export interface HubSpotSandboxOptions {
  /** 0 = any free port (default 0). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The bearer token accepted; anything else gets 401. */
  accessToken: string;
  /** Signs outbound webhook deliveries; also the app's secret for the client-credentials grant. */
  clientSecret: string;
  /** What kind of credential the token-info endpoints describe the token as (default `static`: a project app's static token). */
  tokenKind?: SandboxTokenKind;
  /** The scopes they say it was granted (default: every scope Reelay may need, and `oauth`). */
  tokenScopes?: string[];
  /** The app's client id for the client-credentials grant (default `reelay-sandbox-app`). */
  clientId?: string;
  /** Webhooks Journal settings (retention, file URL lifetime, events per entry). */
  journal?: Partial<JournalSettings>;
  /** Default 62515. */
  portalId?: number;
  /** Default 1160452. */
  appId?: number;
  /**
   * The portal's time zone (IANA), answered by account-info; HubSpot's daily
   * limit resets at its midnight (default `UTC`; the demo uses `America/New_York`).
   */
  timeZone?: string;
  /** Requests per rolling 10 s per app (default 100). */
  burst?: number;
  /** Default 250,000. */
  daily?: number;
  /** Search's own limit (default 5); search answers carry no rate-limit headers. */
  searchPerSecond?: number;
  /** Writes become visible to search only this long after they happen (default 0). */
  searchLagMs?: number;
  /** Send `Retry-After` on 429s (default false: unconfirmed for HubSpot). */
  retryAfter?: boolean;
  /** Seeds every random choice: faults, ordering, duplicates, ids (default 1). */
  seed?: number;
  /** URL subscription deliveries go to (also settable later). */
  webhookTarget?: string;
  /** Used for timestamps, rate windows and search lag (default: the system clock). */
  clock?: Clock;
  /** Faults active from the start. */
  faults?: Partial<FaultSettings>;
  /** Webhook delivery settings (retry delays, batch size, duplicates, ...). */
  webhooks?: Partial<WebhookSettings>;
  /** No logging (the only option). */
  logger?: false;
}

export interface HubSpotSandbox {
  /** Base URL, e.g. http://127.0.0.1:43121 (use as HUBSPOT_API_BASE). */
  url: string;
  port: number;
  crm: SandboxCrm;
  /** CRM notes created through the API (with their associations). */
  notes: NoteStore;
  control: SandboxControl;
  stats(): HubSpotSandboxStats;
  webhooks: SandboxWebhooks;
  /** The app's client id (for `HUBSPOT_CLIENT_ID`). */
  clientId: string;
  /** The Webhooks Journal: its subscriptions, entries, grant and counters. */
  journal: SandboxJournal;
  close(): Promise<void>;
}

/** In-process controls of the sandbox's Webhooks Journal. */
export interface SandboxJournal {
  subscriptions(): JournalSubscription[];
  /** Entries still kept, oldest first (the entry being filled is closed first). */
  entries(): JournalEntry[];
  /** Entries ever published, expired ones included. */
  published(): number;
  settings(): JournalSettings;
  configure(patch: Partial<JournalSettings>): JournalSettings;
  grant(): GrantSettings;
  /** E.g. `{ refuse: true }` to refuse the client-credentials grant, `{ tokenLifetimeSeconds }`. */
  configureGrant(patch: Partial<GrantSettings>): GrantSettings;
  /** Appends an entry whose file holds `content(offset)` (for malformed files). */
  appendRaw(content: (offset: string) => unknown): string;
  /** Drops every entry so far, as if the retention had passed. */
  expireAll(): void;
  counters(): JournalCounters & { tokensIssued: number };
}

const bodyLimitBytes = 32 * 1024 * 1024;

export async function startHubSpotSandbox(opts: HubSpotSandboxOptions): Promise<HubSpotSandbox> {
  const clock = opts.clock ?? systemClock;
  const seed = opts.seed ?? 1;
  const portalId = opts.portalId ?? 62515;
  const appId = opts.appId ?? 1160452;
  const timeZone = opts.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw new Error(`timeZone "${timeZone}" is not a time zone this runtime knows (use an IANA name such as America/New_York)`);
  let searchLagMs = opts.searchLagMs ?? 0;

  const registry = new PropertyRegistry(clock);
  const records = new RecordStore(registry, clock, portalId);
  const associations = new AssociationStore(records);
  const searchIndex = new SearchIndex(clock, () => searchLagMs);
  records.onWrite(searchIndex.onWrite);
  const limiter = new AppLimiter(clock, {
    burst: opts.burst ?? 100,
    daily: opts.daily ?? 250_000,
    searchPerSecond: opts.searchPerSecond ?? 5,
    retryAfter: opts.retryAfter ?? false,
  }, timeZone);
  const faults = new FaultInjector(seededRandom(deriveSeed(seed, 1)), opts.faults);
  const webhooks = new WebhookHub({
    records,
    clock,
    random: seededRandom(deriveSeed(seed, 2)),
    clientSecret: opts.clientSecret,
    portalId,
    appId,
    ...(opts.webhookTarget === undefined ? {} : { target: opts.webhookTarget }),
    ...(opts.webhooks === undefined ? {} : { settings: opts.webhooks }),
  });
  records.onWrite(webhooks.onWrite);
  const clientId = opts.clientId ?? 'reelay-sandbox-app';
  const journalStore = new JournalStore(clock, seededRandom(deriveSeed(seed, 5)), portalId, appId, opts.journal);
  records.onWrite(journalStore.onWrite);
  const grants = new ClientCredentialsGrants(clock, seededRandom(deriveSeed(seed, 6)), clientId, opts.clientSecret, portalId);
  const journalCounters = newJournalCounters();
  const journal: SandboxJournal = {
    subscriptions: () => journalStore.subscriptions(),
    entries: () => journalStore.list(),
    published: () => {
      journalStore.seal();
      return journalStore.published;
    },
    settings: () => journalStore.settings(),
    configure: (patch) => journalStore.configure(patch),
    grant: () => grants.settings(),
    configureGrant: (patch) => grants.configure(patch),
    appendRaw: (content) => journalStore.appendRaw(content),
    expireAll: () => journalStore.expireAll(),
    counters: () => ({ ...journalCounters, tokensIssued: grants.issued }),
  };
  const stats = new StatsCollector({ dailyUsed: () => limiter.dailyUsed(), writeCounts: () => records.writeCounts(), webhooks: () => webhooks.stats() });

  const random = seededRandom(deriveSeed(seed, 3));
  const ctx: SandboxContext = {
    clock,
    random,
    registry,
    records,
    associations,
    searchIndex,
    limiter,
    faults,
    stats,
    webhooks,
    portalId,
    appId,
    timeZone,
    accessToken: opts.accessToken,
    tokenInfo: { kind: opts.tokenKind ?? 'static', scopes: [...(opts.tokenScopes ?? SANDBOX_DEFAULT_SCOPES)] },
  };
  const crm = createSandboxCrm(records, associations, registry, portalId);
  const control = createControl({
    faults,
    limiter,
    searchLag: { get: () => searchLagMs, set: (ms) => (searchLagMs = ms) },
    resetStats: () => {
      stats.reset();
      records.resetWriteCounts();
      webhooks.resetStats();
    },
    setAccessToken: (token) => {
      ctx.accessToken = token;
    },
    setTokenInfo: (patch) => {
      ctx.tokenInfo = { kind: patch.kind ?? ctx.tokenInfo.kind, scopes: [...(patch.scopes ?? ctx.tokenInfo.scopes)] };
      return { ...ctx.tokenInfo, scopes: [...ctx.tokenInfo.scopes] };
    },
  });

  const app = Fastify({ logger: false, bodyLimit: bodyLimitBytes });
  installBodyParser(app);
  installErrorHandlers(app, () => randomUuid(random), stats);
  const notes = new NoteStore(records, clock, () => searchLagMs);
  registerNoteRoutes(app, ctx, notes);
  registerObjectRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerAssociationRoutes(app, ctx);
  registerPropertyRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerJournalRoutes(app, { clock, random: seededRandom(deriveSeed(seed, 7)), grants, journal: journalStore, stats, counters: journalCounters });
  registerControlRoutes(app, { crm, control, webhooks, stats: () => stats.snapshot(), clock, random: seededRandom(deriveSeed(seed, 4)) });

  await app.listen({ port: opts.port ?? 0, host: opts.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    crm,
    notes,
    control,
    stats: () => stats.snapshot(),
    webhooks,
    clientId,
    journal,
    close: () => {
      closing ??= (async () => {
        webhooks.close();
        journalStore.close();
        await app.close();
      })();
      return closing;
    },
  };
}

/** JSON bodies, where an empty body (as some clients send on PUT) means no body. */
function installBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, raw, done) => {
    const text = typeof raw === 'string' ? raw : raw.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(Object.assign(new Error(err instanceof Error ? err.message : 'Body is not valid JSON'), { statusCode: 400 }), undefined);
    }
  });
  // The OAuth token endpoint takes form-encoded bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, raw, done) => {
    done(null, new URLSearchParams(typeof raw === 'string' ? raw : raw.toString('utf8')));
  });
}

/** Malformed JSON, oversize bodies and unknown routes answer in HubSpot's error shape too. */
function installErrorHandlers(app: FastifyInstance, correlationId: () => string, stats: StatsCollector): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (!request.url.startsWith('/_sandbox/')) stats.answered(status);
    const body: HubSpotErrorBody = {
      status: 'error',
      message: status === 500 ? `internal error: ${error.message}` : `Invalid input JSON: ${error.message}`,
      correlationId: correlationId(),
      category: status === 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR',
    };
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: HubSpotErrorBody = {
      status: 'error',
      message: `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`,
      correlationId: correlationId(),
      category: 'OBJECT_NOT_FOUND',
    };
    return reply.code(404).send(body);
  });
}
