/**
 * The Webhooks Journal routes of the sandbox (2026-03 paths): the
 * client-credentials token, journal subscriptions, journal reads, and the
 * pre-signed files. Journal calls need a client-credentials token with the
 * scope the spec names; the static app token gets 401 there. The files are
 * served like S3 pre-signed objects: no Authorization header allowed (S3
 * answers 400 when a request carries both a signature and an
 * Authorization header), 403 once expired.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock, Random } from '../../../core/clock.js';
import { CrmApiError } from '../api-error.js';
import { randomUuid } from '../ids.js';
import type { StatsCollector } from '../stats.js';
import type { ClientCredentialsGrants } from './client-credentials.js';
import type { JournalEntry, JournalStore } from './journal-store.js';

export interface JournalRouteDeps {
  clock: Clock;
  random: Random;
  grants: ClientCredentialsGrants;
  journal: JournalStore;
  stats: StatsCollector;
  counters: JournalCounters;
}

export interface JournalCounters {
  tokenRequests: number;
  journalReads: number;
  fileDownloads: number;
  /** Downloads refused because they carried an Authorization header. */
  fileDownloadsWithAuthorization: number;
  subscriptionWrites: number;
}

export function newJournalCounters(): JournalCounters {
  return { tokenRequests: 0, journalReads: 0, fileDownloads: 0, fileDownloadsWithAuthorization: 0, subscriptionWrites: 0 };
}

const VERSIONS = ['2026-03'];
const MAX_BATCH = 100;

export function registerJournalRoutes(app: FastifyInstance, deps: JournalRouteDeps): void {
  const signingKey = randomBytes(32);
  const sign = (offset: string, expires: number) => createHmac('sha256', signingKey).update(`${offset}:${expires}`).digest('hex');

  const errorBody = (message: string, category: string) => ({ status: 'error', message, correlationId: randomUuid(deps.random), category });

  /** Auth and stats for a journal API route; returns the answer or null to go on. */
  function guard(request: FastifyRequest, reply: FastifyReply, operation: string, scope: string): FastifyReply | null {
    deps.stats.request(operation);
    const verdict = deps.grants.check(request.headers.authorization, scope);
    if (verdict === 'ok') return null;
    const status = verdict === 'unauthenticated' ? 401 : 403;
    deps.stats.answered(status);
    return reply
      .code(status)
      .send(
        verdict === 'unauthenticated'
          ? errorBody('Authentication credentials not found: the Webhooks Journal needs a client credentials token', 'INVALID_AUTHENTICATION')
          : errorBody(`This app hasn't been granted all required scopes to make this call. Required: ${scope}`, 'MISSING_SCOPES'),
      );
  }

  function send(reply: FastifyReply, status: number, body?: unknown): FastifyReply {
    deps.stats.answered(status);
    return body === undefined ? reply.code(status).send() : reply.code(status).send(body);
  }

  function failed(reply: FastifyReply, err: unknown): FastifyReply {
    if (!(err instanceof CrmApiError)) throw err;
    return send(reply, err.status, err.toBody(randomUuid(deps.random)));
  }

  function pointer(request: FastifyRequest, entry: JournalEntry) {
    const expires = deps.clock.now() + deps.journal.settings().fileTtlMs;
    const host = request.headers.host ?? '127.0.0.1';
    const url = `http://${host}/_journal-files/${entry.offset}.json?X-Amz-Expires=${expires}&X-Amz-Signature=${sign(entry.offset, expires)}`;
    return { currentOffset: entry.offset, expiresAt: new Date(expires).toISOString(), url };
  }

  function batch(request: FastifyRequest, entries: JournalEntry[]) {
    const at = new Date(deps.clock.now()).toISOString();
    return { status: 'COMPLETE', results: entries.map((e) => pointer(request, e)), startedAt: at, completedAt: at };
  }

  function count(raw: string): number {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new CrmApiError({ status: 400, category: 'VALIDATION_ERROR', message: 'count must be an integer of at least 1' });
    return Math.min(n, MAX_BATCH);
  }

  // Token: the three documented paths answer alike.
  for (const path of ['/oauth/v1/token', '/oauth/v3/token', '/oauth/2026-03/token']) {
    app.post(path, async (request, reply) => {
      deps.counters.tokenRequests += 1;
      const form = request.body instanceof URLSearchParams ? request.body : new URLSearchParams();
      const result = deps.grants.grant(form);
      return result.ok ? reply.code(200).send(result.body) : reply.code(result.status).send(result.body);
    });
  }

  for (const version of VERSIONS) {
    const subs = `/webhooks-journal/subscriptions/${version}`;
    app.get(subs, async (request, reply) => {
      const denied = guard(request, reply, 'journal.subscriptions.list', 'developer.webhooks_journal.subscriptions.read');
      return denied ?? send(reply, 200, { results: deps.journal.subscriptions() });
    });
    app.post(subs, async (request, reply) => {
      const denied = guard(request, reply, 'journal.subscriptions.upsert', 'developer.webhooks_journal.subscriptions.write');
      if (denied) return denied;
      try {
        deps.counters.subscriptionWrites += 1;
        return send(reply, 200, deps.journal.upsert(request.body));
      } catch (err) {
        return failed(reply, err);
      }
    });
    app.get<{ Params: { id: string } }>(`${subs}/:id`, async (request, reply) => {
      const denied = guard(request, reply, 'journal.subscriptions.get', 'developer.webhooks_journal.subscriptions.read');
      if (denied) return denied;
      try {
        return send(reply, 200, deps.journal.subscription(Number(request.params.id)));
      } catch (err) {
        return failed(reply, err);
      }
    });
    app.delete<{ Params: { id: string } }>(`${subs}/:id`, async (request, reply) => {
      const denied = guard(request, reply, 'journal.subscriptions.delete', 'developer.webhooks_journal.subscriptions.write');
      if (denied) return denied;
      try {
        deps.counters.subscriptionWrites += 1;
        deps.journal.deleteSubscription(Number(request.params.id));
        return send(reply, 204);
      } catch (err) {
        return failed(reply, err);
      }
    });

    for (const kind of ['journal', 'journal-local']) {
      const base = `/webhooks-journal/${kind}/${version}`;
      const read = (operation: string, answer: (request: FastifyRequest) => unknown) =>
        async (request: FastifyRequest, reply: FastifyReply) => {
          const denied = guard(request, reply, operation, 'developer.webhooks_journal.read');
          if (denied) return denied;
          deps.counters.journalReads += 1;
          const latency = deps.journal.settings().readLatencyMs;
          if (latency > 0) await new Promise((r) => setTimeout(r, latency));
          if (deps.journal.strike()) return send(reply, 503, errorBody('injected: service unavailable', 'INTERNAL_ERROR'));
          try {
            const body = answer(request);
            return body === null ? send(reply, 204) : send(reply, 200, body);
          } catch (err) {
            return failed(reply, err);
          }
        };
      app.get(`${base}/earliest`, read('journal.earliest', (r) => { const e = deps.journal.earliest(); return e && pointer(r, e); }));
      app.get(`${base}/latest`, read('journal.latest', (r) => { const e = deps.journal.latest(); return e && pointer(r, e); }));
      app.get<{ Params: { offset: string } }>(
        `${base}/offset/:offset/next`,
        read('journal.next', (r) => {
          const next = deps.journal.after((r.params as { offset: string }).offset, 1)[0];
          return next === undefined ? null : pointer(r, next);
        }),
      );
      app.get(`${base}/batch/earliest/:count`, read('journal.batchEarliest', (r) => batch(r, deps.journal.list().slice(0, count((r.params as { count: string }).count)))));
      app.get(`${base}/batch/latest/:count`, read('journal.batchLatest', (r) => batch(r, deps.journal.list().slice(-count((r.params as { count: string }).count)))));
      app.get(
        `${base}/batch/:offset/next/:count`,
        read('journal.batchNext', (r) => {
          const p = r.params as { offset: string; count: string };
          return batch(r, deps.journal.after(p.offset, count(p.count)));
        }),
      );
    }
  }

  // Controls for tests and `reelay sandbox` users (no auth, not counted), like the other `/_sandbox/*` routes.
  app.get('/_sandbox/journal', async () => ({
    subscriptions: deps.journal.subscriptions(),
    entries: deps.journal.list().map((e) => ({ offset: e.offset, publishedAt: new Date(e.publishedAt).toISOString(), events: e.eventCount })),
    settings: deps.journal.settings(),
    grant: deps.grants.settings(),
    counters: { ...deps.counters, tokensIssued: deps.grants.issued },
  }));
  app.patch<{ Body: { settings?: Record<string, unknown>; grant?: Record<string, unknown> } | undefined }>('/_sandbox/journal', async (request, reply) => {
    const body = request.body ?? {};
    const numbers = ['retentionMs', 'fileTtlMs', 'maxEventsPerEntry', 'readLatencyMs', 'failNext'] as const;
    const settings: Record<string, number> = {};
    for (const [key, value] of Object.entries(body.settings ?? {})) {
      if (!(numbers as readonly string[]).includes(key) || typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
        return reply.code(400).send({ error: `settings.${key} must be one of ${numbers.join(', ')}, a whole number >= 0` });
      }
      settings[key] = value;
    }
    const grant = body.grant ?? {};
    if (grant.refuse !== undefined && typeof grant.refuse !== 'boolean') return reply.code(400).send({ error: 'grant.refuse must be true or false' });
    if (grant.tokenLifetimeSeconds !== undefined && (typeof grant.tokenLifetimeSeconds !== 'number' || grant.tokenLifetimeSeconds < 1)) {
      return reply.code(400).send({ error: 'grant.tokenLifetimeSeconds must be a number >= 1' });
    }
    deps.journal.configure(settings);
    deps.grants.configure({
      ...(grant.refuse === undefined ? {} : { refuse: grant.refuse as boolean }),
      ...(grant.tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds: grant.tokenLifetimeSeconds as number }),
    });
    return { settings: deps.journal.settings(), grant: deps.grants.settings() };
  });
  app.post('/_sandbox/journal/expire', async () => {
    deps.journal.expireAll();
    return { entries: 0 };
  });

  // The pre-signed files (what S3 would serve).
  app.get<{ Params: { file: string }; Querystring: Record<string, string | undefined> }>('/_journal-files/:file', async (request, reply) => {
    const offset = request.params.file.replace(/\.json$/, '');
    if (request.headers.authorization !== undefined) {
      deps.counters.fileDownloadsWithAuthorization += 1;
      return reply.code(400).type('application/xml').send('<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed</Message></Error>');
    }
    const expires = Number(request.query['X-Amz-Expires']);
    const signature = request.query['X-Amz-Signature'] ?? '';
    const expected = Buffer.from(sign(offset, expires));
    const given = Buffer.from(signature);
    if (!Number.isFinite(expires) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(403).type('application/xml').send('<Error><Code>SignatureDoesNotMatch</Code></Error>');
    }
    if (deps.clock.now() > expires) return reply.code(403).type('application/xml').send('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>');
    if (deps.journal.strike()) return reply.code(503).type('application/xml').send('<Error><Code>SlowDown</Code></Error>');
    const entry = deps.journal.find(offset);
    if (!entry) return reply.code(404).type('application/xml').send('<Error><Code>NoSuchKey</Code></Error>');
    deps.counters.fileDownloads += 1;
    const content = entry.content;
    return reply.code(200).type('application/json').send(typeof content === 'string' ? content : JSON.stringify(content));
  });
}
