/**
 * `/_sandbox/*`: the test and demo controls. No auth, no rate limits, no
 * faults, not counted in stats.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Clock, Random } from '../../../core/clock.js';
import { CrmApiError, notFoundError, validationError } from '../api-error.js';
import type { SandboxControl } from '../control.js';
import { sandboxObjectTypes, type SandboxObjectType } from '../crm/object-types.js';
import type { SandboxCrm } from '../crm/sandbox-crm.js';
import { randomUuid } from '../ids.js';
import { seedCompanies, seedContacts, seedDeals } from '../seed.js';
import type { HubSpotSandboxStats } from '../stats.js';
import { subscriptionEventForms } from '../webhooks/settings.js';
import type { SandboxWebhooks } from '../webhooks/webhook-hub.js';
import { parseBody } from './parse-body.js';
import { afterQuery, intQuery, objectTypeParam, param } from './request-parts.js';

export interface ControlRouteDeps {
  crm: SandboxCrm;
  control: SandboxControl;
  webhooks: SandboxWebhooks;
  stats: () => HubSpotSandboxStats;
  clock: Clock;
  random: Random;
}

const rate = z.number().min(0).max(1);
const faultsSchema = z.object({
  latencyMs: z.union([z.number().int().min(0), z.object({ min: z.number().int().min(0), max: z.number().int().min(0) })]).optional(),
  errorRate: rate.optional(),
  rateLimitStormRate: rate.optional(),
  partialFailureRate: rate.optional(),
  resetRate: rate.optional(),
  resetAfterWriteRate: rate.optional(),
  operations: z.array(z.string()).optional(),
});
const limitsSchema = z.object({
  burst: z.number().int().min(1).optional(),
  daily: z.number().int().min(1).optional(),
  searchPerSecond: z.number().int().min(1).optional(),
  retryAfter: z.boolean().optional(),
  searchLagMs: z.number().int().min(0).optional(),
});
const tokenInfoSchema = z.object({
  kind: z.enum(['static', 'oauth', 'service-key', 'legacy-private-app']).optional(),
  scopes: z.array(z.string()).optional(),
});
const seedSchema = z.union([
  z.object({ records: z.array(z.object({ id: z.string().optional(), properties: z.record(z.string(), z.unknown()) })) }),
  z.object({
    generate: z.object({
      count: z.number().int().min(1).max(100_000),
      junkRate: rate.optional(),
      missingFirstnameRate: rate.optional(),
      lifecyclestage: z.string().optional(),
    }),
  }),
]);
const bulkUpdateSchema = z.object({
  inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), properties: z.record(z.string(), z.unknown()) })),
  changeSource: z.string().optional(),
});
const objectType = z.enum(sandboxObjectTypes);
const associationSchema = z.object({
  fromType: objectType,
  fromId: z.union([z.string(), z.number()]).transform(String),
  toType: objectType,
  toId: z.union([z.string(), z.number()]).transform(String),
  primary: z.boolean().optional(),
});
const workflowSchema = z.object({
  objectType,
  objectId: z.union([z.string(), z.number()]).transform(String),
  url: z.url().optional(),
  campaign: z.string().optional(),
  /** The workflow's body: `'all'`, property names, or `{ key: property }`. */
  properties: z.union([z.literal('all'), z.array(z.string()), z.record(z.string(), z.string())]).optional(),
  extra: z.record(z.string(), z.unknown()).optional(),
  /** Answer only after the final attempt, with its outcome. */
  wait: z.boolean().optional(),
});
const webhookSettingsSchema = z.object({
  signatureVersion: z.enum(['v1', 'v3', 'both']).optional(),
  eventForm: z.enum(subscriptionEventForms).optional(),
  workflowSigned: z.boolean().optional(),
  retryDelayMs: z.number().int().min(0).optional(),
  retryMaxDelayMs: z.number().int().min(0).optional(),
  workflowMaxAttempts: z.number().int().min(1).optional(),
  subscriptionMaxAttempts: z.number().int().min(1).optional(),
  workflowTimeoutMs: z.number().int().min(1).optional(),
  subscriptionTimeoutMs: z.number().int().min(1).optional(),
  maxBatchSize: z.number().int().min(1).max(100).optional(),
  batchDelayMs: z.number().int().min(0).optional(),
  concurrency: z.number().int().min(1).optional(),
  duplicateRate: rate.optional(),
  shuffle: z.boolean().optional(),
});
const subscriptionsSchema = z.object({
  subscriptions: z
    .array(
      z.object({
        subscriptionType: z.string(),
        objectType: z.string().optional(),
        objectTypeId: z.string().optional(),
        propertyName: z.string().optional(),
        active: z.boolean().optional(),
      }),
    )
    .optional(),
  settings: webhookSettingsSchema.optional(),
});
const targetSchema = z.object({ url: z.url().nullable() });
/** A contact's privacy-compliant delete: the sandbox sends `contact.privacyDeletion` for it. */
const privacyDeletionSchema = z.object({ objectId: z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]) });

export function registerControlRoutes(app: FastifyInstance, deps: ControlRouteDeps): void {
  const { crm, control, webhooks } = deps;
  const prefix = '/_sandbox';
  const guard = (reply: FastifyReply, work: () => unknown): unknown => {
    try {
      return work();
    } catch (err) {
      if (err instanceof CrmApiError) return reply.code(err.status).send(err.toBody(randomUuid(deps.random)));
      throw err;
    }
  };

  app.get(`${prefix}/stats`, () => deps.stats());
  app.post(`${prefix}/reset-stats`, (_request, reply) => {
    control.resetStats();
    return reply.code(204).send();
  });
  app.post(`${prefix}/reset-limits`, (_request, reply) => {
    control.resetRateLimits();
    return reply.code(204).send();
  });

  app.get(`${prefix}/faults`, () => control.faults());
  app.post(`${prefix}/faults`, (request, reply) => guard(reply, () => control.setFaults(stripUndefined(parseBody(faultsSchema, request.body)))));
  app.delete(`${prefix}/faults`, () => {
    control.clearFaults();
    return control.faults();
  });

  app.post(`${prefix}/token-info`, (request, reply) => guard(reply, () => control.setTokenInfo(stripUndefined(parseBody(tokenInfoSchema, request.body)))));
  app.get(`${prefix}/limits`, () => control.limits());
  app.post(`${prefix}/limits`, (request, reply) => guard(reply, () => control.setLimits(stripUndefined(parseBody(limitsSchema, request.body)))));

  app.get(`${prefix}/records/:objectType`, (request, reply) =>
    guard(reply, () => {
      const type = objectTypeParam(request);
      const limit = intQuery(request, 'limit', 100, 10_000);
      const offset = afterQuery(request);
      const all = crm.list(type);
      const results = all.slice(offset, offset + limit);
      const end = offset + results.length;
      return { total: all.length, results, ...(end < all.length ? { paging: { next: { after: String(end) } } } : {}) };
    }),
  );
  app.get(`${prefix}/records/:objectType/:objectId`, (request, reply) =>
    guard(reply, () => {
      const record = crm.get(objectTypeParam(request), param(request, 'objectId'));
      if (!record) throw notFoundError();
      return record;
    }),
  );
  app.post(`${prefix}/records/:objectType`, (request, reply) =>
    guard(reply, () => {
      const type = objectTypeParam(request);
      const body = parseBody(seedSchema, request.body);
      const rows = 'records' in body ? body.records.map((r) => ({ properties: r.properties, ...(r.id === undefined ? {} : { id: r.id }) })) : generate(type, body.generate, deps);
      const created = crm.createMany(type, rows);
      return reply.code(201).send({ created: created.length, ids: created.map((r) => r.id) });
    }),
  );
  app.post(`${prefix}/records/:objectType/update`, (request, reply) =>
    guard(reply, () => {
      const body = parseBody(bulkUpdateSchema, request.body);
      const updated = crm.updateMany(objectTypeParam(request), body.inputs, body.changeSource === undefined ? {} : { changeSource: body.changeSource });
      return { updated: updated.length };
    }),
  );

  app.post(`${prefix}/associations`, (request, reply) =>
    guard(reply, () => {
      const body = parseBody(associationSchema, request.body);
      crm.associate(body.fromType, body.fromId, body.toType, body.toId, { primary: body.primary ?? false });
      return reply.code(201).send({ associations: crm.associations(body.fromType, body.fromId, body.toType) });
    }),
  );

  app.post(`${prefix}/workflow`, async (request, reply) => {
    try {
      const { wait, ...input } = parseBody(workflowSchema, request.body);
      const outcome = webhooks.sendWorkflow(stripUndefined(input));
      if (wait === true) return reply.code(200).send(await outcome);
      void outcome;
      return reply.code(202).send({ accepted: true });
    } catch (err) {
      if (err instanceof CrmApiError) return reply.code(err.status).send(err.toBody(randomUuid(deps.random)));
      throw err;
    }
  });

  app.get(`${prefix}/subscriptions`, () => ({ subscriptions: webhooks.subscriptions(), settings: webhooks.settings(), target: webhooks.target() ?? null }));
  app.post(`${prefix}/subscriptions`, (request, reply) =>
    guard(reply, () => {
      const body = parseBody(subscriptionsSchema, request.body);
      if (body.settings) webhooks.configure(stripUndefined(body.settings));
      if (body.subscriptions) webhooks.setSubscriptions(body.subscriptions.map(stripUndefined));
      return { subscriptions: webhooks.subscriptions(), settings: webhooks.settings() };
    }),
  );
  app.post(`${prefix}/webhook-target`, (request, reply) =>
    guard(reply, () => {
      const body = parseBody(targetSchema, request.body);
      webhooks.setTarget(body.url ?? undefined);
      return { target: webhooks.target() ?? null };
    }),
  );
  app.post(`${prefix}/privacy-deletion`, (request, reply) =>
    guard(reply, () => {
      const body = parseBody(privacyDeletionSchema, request.body);
      webhooks.privacyDeletion(String(body.objectId));
      return reply.code(202).send({ accepted: true });
    }),
  );
  app.get(`${prefix}/webhooks`, () => ({ target: webhooks.target() ?? null, stats: webhooks.stats(), log: webhooks.log().slice(-200) }));
  app.post(`${prefix}/webhooks/drain`, async (_request, reply) => {
    await webhooks.drain();
    return reply.code(204).send();
  });
}

function generate(
  type: SandboxObjectType,
  spec: { count: number; junkRate?: number | undefined; missingFirstnameRate?: number | undefined; lifecyclestage?: string | undefined },
  deps: ControlRouteDeps,
) {
  const now = deps.clock.now();
  switch (type) {
    case 'contacts':
      return seedContacts(spec.count, deps.random, stripUndefined({ ...spec, now }));
    case 'companies':
      return seedCompanies(spec.count, deps.random, { now });
    case 'deals':
      return seedDeals(spec.count, deps.random, { now });
    default:
      throw validationError(`the sandbox generates no ${type}: give the records instead`);
  }
}

/** zod leaves absent optional keys as undefined; the settings objects want them absent. */
function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
