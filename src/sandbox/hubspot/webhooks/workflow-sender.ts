/**
 * Workflow "Send a webhook" deliveries: one JSON object per record, signed
 * v2, retried like HubSpot workflows do (never after a 4xx other than 429;
 * 429 waits `Retry-After` milliseconds; 5xx, timeouts and connection failures
 * back off and retry).
 */
import type { Clock, Random } from '../../../core/clock.js';
import { parseRetryAfter } from '../../../core/classify.js';
import { validationError } from '../api-error.js';
import { objectTypeInfo } from '../../../core/object-types.js';
import { sandboxObjectTypes, type SandboxObjectType } from '../crm/object-types.js';
import type { RecordStore } from '../crm/record-store.js';
import { retryDelay } from './backoff.js';
import type { DeliveryLog } from './delivery-log.js';
import type { PendingWork } from './pending-work.js';
import { describeOutcome, postJson, type PostOutcome } from './post-json.js';
import type { WebhookSettings } from './settings.js';
import { signV2 } from './signing.js';

export interface WorkflowWebhookInput {
  objectType: SandboxObjectType;
  objectId: string;
  /** Full URL; default: the webhook target with `?campaign=` appended when `campaign` is given. */
  url?: string;
  campaign?: string;
  /**
   * The body the workflow's "Send a webhook" action was set up with, as a
   * HubSpot admin does it: a customised body of the keys mapped (a list of
   * property names, or key -> property name), or `'all'` for "include all
   * properties". Nothing else is added: no `hs_object_id` unless mapped.
   * Default: `DEFAULT_WORKFLOW_KEYS` of the object type (an admin who
   * followed the advice to map `hs_object_id`).
   */
  properties?: WorkflowBodyMapping;
  /** Extra keys merged into the body (e.g. fields an admin maps by hand). */
  extra?: Record<string, unknown>;
}

export type WorkflowBodyMapping = 'all' | readonly string[] | Readonly<Record<string, string>>;

/** A typical customised body per object type: the record id (as advised) and a few identifying properties. */
export const DEFAULT_WORKFLOW_KEYS = Object.fromEntries(sandboxObjectTypes.map((t) => [t, objectTypeInfo(t).displayProperties])) as Readonly<
  Record<SandboxObjectType, readonly string[]>
>;

export interface DeliveryOutcome {
  delivered: boolean;
  attempts: number;
  lastStatus?: number;
  lastError?: string;
}

export interface WorkflowSenderDeps {
  records: RecordStore;
  clock: Clock;
  random: Random;
  clientSecret: string;
  pending: PendingWork;
  log: DeliveryLog;
  settings: () => WebhookSettings;
  target: () => string | undefined;
}

export class WorkflowSender {
  constructor(private readonly deps: WorkflowSenderDeps) {}

  /**
   * Starts delivery; resolves with the final outcome after any retries.
   * Throws at once (not as a rejection) when the record or the target is missing.
   */
  send(input: WorkflowWebhookInput): Promise<DeliveryOutcome> {
    const url = this.resolveUrl(input);
    const body = JSON.stringify(this.buildBody(input));
    this.deps.log.countWorkflow('sent');
    return this.deps.pending.track(() => this.deliver(url, body));
  }

  private async deliver(url: string, body: string): Promise<DeliveryOutcome> {
    const { pending, log, clock, clientSecret } = this.deps;
    let attempts = 0;
    let last: PostOutcome = { kind: 'aborted' };
    while (!pending.closed) {
      const settings = this.deps.settings();
      attempts++;
      const headers: Record<string, string> = settings.workflowSigned
        ? { 'x-hubspot-signature': signV2(clientSecret, 'POST', url, body), 'x-hubspot-signature-version': 'v2' }
        : {};
      last = await postJson(url, body, headers, settings.workflowTimeoutMs, pending.signal);
      log.record({ kind: 'workflow', url, attempt: attempts, eventCount: 1, at: clock.now(), ...describeOutcome(last) });
      const wait = this.nextWait(last, attempts, settings);
      if (wait === 'done') break;
      if (!(await pending.delay(wait))) break;
    }
    const delivered = last.kind === 'response' && last.status >= 200 && last.status < 300;
    log.countWorkflow(delivered ? 'delivered' : 'failed');
    const described = describeOutcome(last);
    return {
      delivered,
      attempts,
      ...(described.status === undefined ? {} : { lastStatus: described.status }),
      ...(described.error === undefined ? {} : { lastError: described.error }),
    };
  }

  /** Milliseconds until the next attempt, or 'done' when HubSpot would stop here. */
  private nextWait(outcome: PostOutcome, attempts: number, settings: WebhookSettings): number | 'done' {
    if (outcome.kind === 'aborted') return 'done';
    if (outcome.kind === 'response') {
      if (outcome.status < 300) return 'done';
      if (outcome.status >= 400 && outcome.status < 500 && outcome.status !== 429) return 'done';
    }
    if (attempts >= settings.workflowMaxAttempts) return 'done';
    if (outcome.kind === 'response' && outcome.status === 429) {
      const asked = parseRetryAfter(outcome.retryAfter, this.deps.clock.now(), 'ms');
      if (asked !== undefined) return asked;
    }
    return retryDelay(attempts, settings, this.deps.random);
  }

  private resolveUrl(input: WorkflowWebhookInput): string {
    if (input.url !== undefined) return input.url;
    const target = this.deps.target();
    if (target === undefined) throw validationError('No webhook target: pass "url" or set the target first');
    if (input.campaign === undefined) return target;
    return `${target}${target.includes('?') ? '&' : '?'}campaign=${encodeURIComponent(input.campaign)}`;
  }

  private buildBody(input: WorkflowWebhookInput): Record<string, unknown> {
    const record = this.deps.records.require(input.objectType, input.objectId);
    const mapping = input.properties ?? DEFAULT_WORKFLOW_KEYS[input.objectType] ?? [];
    const body: Record<string, unknown> = {};
    if (mapping === 'all') {
      for (const [name, value] of record.values) body[name] = value;
    } else {
      const pairs = isKeyList(mapping) ? mapping.map((name) => [name, name] as const) : Object.entries(mapping);
      // A mapped property the record lacks is sent as null (what HubSpot sends for an empty one is UNCONFIRMED).
      for (const [key, property] of pairs) body[key] = record.values.get(property) ?? null;
    }
    return { ...body, ...input.extra };
  }
}

function isKeyList(mapping: readonly string[] | Readonly<Record<string, string>>): mapping is readonly string[] {
  return Array.isArray(mapping);
}
