/**
 * The Webhooks Journal of the sandbox app: journal subscriptions (2026-03,
 * `POST` is an upsert per portal, object type and subscription type), and a
 * journal of entries fed by record writes. An entry is one file of events
 * behind an expiring pre-signed URL; entries older than the retention (3
 * days at HubSpot) are dropped, so an old offset answers 404.
 *
 * What HubSpot's files hold is only partly documented; the sandbox writes
 * the shape a HubSpot developer's sample reads: `{offset, publishedAt,
 * journalEvents: [{portalId, occurredAt, action, objectTypeId, objectId,
 * propertyChanges}]}` (see docs/api-notes/webhooks-journal.md).
 */
import type { Clock, Random } from '../../../core/clock.js';
import { validationError, notFoundError } from '../api-error.js';
import { objectTypeFromId, objectTypeInfo, objectTypes } from '../../../core/object-types.js';
import type { RecordWrite } from '../crm/record-store.js';
import { randomUuid } from '../ids.js';

export const journalActions = ['CREATE', 'UPDATE', 'DELETE', 'MERGE', 'RESTORE', 'ASSOCIATION_ADDED', 'ASSOCIATION_REMOVED', 'GDPR_DELETE'] as const;

export interface JournalSubscription {
  id: number;
  appId: number;
  subscriptionType: 'OBJECT';
  portalId: number;
  objectTypeId: string;
  actions: string[];
  objectIds: number[];
  properties: string[];
  createdAt: string;
  updatedAt: string;
}

export interface JournalEvent {
  portalId: number;
  occurredAt: string;
  action: 'CREATE' | 'UPDATE';
  objectTypeId: string;
  objectId: number;
  propertyChanges: Record<string, string | null>;
}

export interface JournalEntry {
  offset: string;
  publishedAt: number;
  /** The file's content (normally `{offset, publishedAt, journalEvents}`; tests may append anything). */
  content: unknown;
  eventCount: number;
}

export interface JournalSettings {
  /** Entries older than this are gone (HubSpot keeps 3 days). */
  retentionMs: number;
  /** How long a pre-signed file URL works. */
  fileTtlMs: number;
  /** At most this many events go into one entry (one file). */
  maxEventsPerEntry: number;
  /** Added before every journal read answers (to widen a test's window for crashes mid-poll). */
  readLatencyMs: number;
  /** The next this many journal reads and file downloads answer 503 (then the count is spent). */
  failNext: number;
}

export const defaultJournalSettings: JournalSettings = { retentionMs: 3 * 86_400_000, fileTtlMs: 5 * 60_000, maxEventsPerEntry: 100, readLatencyMs: 0, failNext: 0 };


export class JournalStore {
  private subs: JournalSubscription[] = [];
  private nextSubscriptionId = 1;
  private entries: JournalEntry[] = [];
  private pending: JournalEvent[] = [];
  private sealTimer: NodeJS.Immediate | null = null;
  private current: JournalSettings;
  /** Entries ever published (pruned ones included). */
  published = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly portalId: number,
    private readonly appId: number,
    settings: Partial<JournalSettings> = {},
  ) {
    this.current = { ...defaultJournalSettings, ...settings };
  }

  settings(): JournalSettings {
    return { ...this.current };
  }

  /** True when this request is to fail (injected 503), spending one of `failNext`. */
  strike(): boolean {
    if (this.current.failNext <= 0) return false;
    this.current.failNext -= 1;
    return true;
  }

  configure(patch: Partial<JournalSettings>): JournalSettings {
    this.current = { ...this.current, ...patch };
    return this.settings();
  }

  subscriptions(): JournalSubscription[] {
    return this.subs.map((s) => ({ ...s }));
  }

  subscription(id: number): JournalSubscription {
    const found = this.subs.find((s) => s.id === id);
    if (!found) throw notFoundError(`subscription ${id} does not exist`);
    return { ...found };
  }

  deleteSubscription(id: number): void {
    this.subscription(id);
    this.subs = this.subs.filter((s) => s.id !== id);
  }

  /** `POST /webhooks-journal/subscriptions/2026-03`: creates, or updates the one for the same portal and object type. */
  upsert(body: unknown): JournalSubscription {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationError('body must be a JSON object');
    const b = body as Record<string, unknown>;
    const missing = ['subscriptionType', 'portalId', 'actions', 'objectTypeId', 'objectIds', 'properties'].filter((k) => b[k] === undefined);
    if (missing.length > 0) throw validationError(`missing required fields: ${missing.join(', ')}`);
    if (b.subscriptionType !== 'OBJECT') throw validationError(`subscriptionType ${JSON.stringify(b.subscriptionType)} is not supported by the sandbox (OBJECT only)`);
    if (typeof b.portalId !== 'number' || !Number.isInteger(b.portalId)) throw validationError('portalId must be an integer');
    if (b.portalId !== this.portalId) throw validationError(`the app is not installed in portal ${b.portalId}`);
    if (typeof b.objectTypeId !== 'string' || objectTypeFromId(b.objectTypeId) === null) {
      throw validationError(`objectTypeId ${JSON.stringify(b.objectTypeId)} is not one of ${objectTypes.map((t) => objectTypeInfo(t).objectTypeId).join(', ')}`);
    }
    const actions = b.actions;
    if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => (journalActions as readonly unknown[]).includes(a))) {
      throw validationError(`actions must be a non-empty list of ${journalActions.join(', ')}`);
    }
    if (!Array.isArray(b.objectIds) || !b.objectIds.every((id) => Number.isInteger(id))) throw validationError('objectIds must be a list of integers');
    if (!Array.isArray(b.properties) || !b.properties.every((p) => typeof p === 'string')) throw validationError('properties must be a list of property names');
    const now = new Date(this.clock.now()).toISOString();
    const fields = {
      actions: [...new Set(actions as string[])],
      objectIds: b.objectIds as number[],
      properties: [...new Set(b.properties as string[])],
    };
    const existing = this.subs.find((s) => s.portalId === b.portalId && s.objectTypeId === b.objectTypeId);
    if (existing) {
      Object.assign(existing, fields, { updatedAt: now });
      return { ...existing };
    }
    const created: JournalSubscription = {
      id: this.nextSubscriptionId++,
      appId: this.appId,
      subscriptionType: 'OBJECT',
      portalId: b.portalId,
      objectTypeId: b.objectTypeId,
      ...fields,
      createdAt: now,
      updatedAt: now,
    };
    this.subs.push(created);
    return { ...created };
  }

  /** Record-store listener: a write matching a subscription becomes a journal event. */
  readonly onWrite = (write: RecordWrite): void => {
    if (this.subs.length === 0) return;
    const typeId = objectTypeInfo(write.type).objectTypeId;
    const action = write.kind === 'creation' ? 'CREATE' : 'UPDATE';
    const objectId = Number(write.record.id);
    const changes: Record<string, string | null> = {};
    let matched = false;
    for (const sub of this.subs) {
      if (sub.objectTypeId !== typeId || !sub.actions.includes(action)) continue;
      if (sub.objectIds.length > 0 && !sub.objectIds.includes(objectId)) continue;
      // An empty `properties` list is taken to mean every property (UNCONFIRMED at HubSpot).
      const relevant = write.changes.filter((c) => sub.properties.length === 0 || sub.properties.includes(c.name));
      if (action === 'UPDATE' && relevant.length === 0) continue;
      matched = true;
      for (const change of relevant) changes[change.name] = change.value;
    }
    if (!matched) return;
    this.pending.push({ portalId: this.portalId, occurredAt: new Date(write.at).toISOString(), action, objectTypeId: typeId, objectId, propertyChanges: changes });
    if (this.pending.length >= this.current.maxEventsPerEntry) this.seal();
    else this.sealTimer ??= setImmediate(() => this.seal());
  };

  /** Closes the entry being filled (writes of one turn of the event loop share an entry). */
  seal(): void {
    if (this.sealTimer) clearImmediate(this.sealTimer);
    this.sealTimer = null;
    while (this.pending.length > 0) {
      const events = this.pending.splice(0, this.current.maxEventsPerEntry);
      const offset = randomUuid(this.random);
      const publishedAt = this.clock.now();
      this.push({ offset, publishedAt, content: { offset, publishedAt: new Date(publishedAt).toISOString(), journalEvents: events }, eventCount: events.length });
    }
  }

  /** Appends an entry with any content (tests: malformed files). */
  appendRaw(content: (offset: string) => unknown): string {
    this.seal();
    const offset = randomUuid(this.random);
    this.push({ offset, publishedAt: this.clock.now(), content: content(offset), eventCount: 0 });
    return offset;
  }

  private push(entry: JournalEntry): void {
    this.entries.push(entry);
    this.published += 1;
  }

  /** Drops entries past the retention. */
  private prune(): void {
    const cutoff = this.clock.now() - this.current.retentionMs;
    const firstKept = this.entries.findIndex((e) => e.publishedAt >= cutoff);
    this.entries = firstKept === -1 ? [] : this.entries.slice(firstKept);
  }

  /** Drops every entry published so far (as if the retention had passed for them). */
  expireAll(): void {
    this.seal();
    this.entries = [];
  }

  list(): JournalEntry[] {
    this.seal();
    this.prune();
    return [...this.entries];
  }

  earliest(): JournalEntry | null {
    return this.list()[0] ?? null;
  }

  latest(): JournalEntry | null {
    return this.list().at(-1) ?? null;
  }

  /** The entries after `offset` (up to `count`); throws 404 when the offset is unknown or expired. */
  after(offset: string, count: number): JournalEntry[] {
    const entries = this.list();
    const at = entries.findIndex((e) => e.offset === offset);
    if (at === -1) throw notFoundError(`offset ${offset} was not found (it may have expired)`);
    return entries.slice(at + 1, at + 1 + count);
  }

  find(offset: string): JournalEntry | undefined {
    return this.entries.find((e) => e.offset === offset);
  }

  close(): void {
    if (this.sealTimer) clearImmediate(this.sealTimer);
    this.sealTimer = null;
  }
}
