/** A bounded log of webhook attempts plus running counters, for tests and stats. */
export type DeliveryKind = 'workflow' | 'subscription';

export interface DeliveryLogEntry {
  kind: DeliveryKind;
  url: string;
  /** 1 for the first attempt. */
  attempt: number;
  eventCount: number;
  status?: number;
  error?: string;
  at: number;
}

export interface WebhookStats {
  workflow: { sent: number; delivered: number; failed: number; attempts: number };
  subscription: {
    events: number;
    duplicatesInjected: number;
    batches: number;
    attempts: number;
    delivered: number;
    failed: number;
    /** Events raised while no target was set. */
    dropped: number;
  };
  pending: number;
}

const maxEntries = 10_000;

export class DeliveryLog {
  private entries: DeliveryLogEntry[] = [];
  private counters = emptyCounters();

  record(entry: DeliveryLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > maxEntries * 2) this.entries = this.entries.slice(-maxEntries);
    this.counters[entry.kind].attempts++;
  }

  countWorkflow(counter: Exclude<keyof WebhookStats['workflow'], 'attempts'>): void {
    this.counters.workflow[counter]++;
  }

  countSubscription(counter: Exclude<keyof WebhookStats['subscription'], 'attempts'>, n = 1): void {
    this.counters.subscription[counter] += n;
  }

  list(): readonly DeliveryLogEntry[] {
    return this.entries.slice(-maxEntries);
  }

  stats(pending: number): WebhookStats {
    return { workflow: { ...this.counters.workflow }, subscription: { ...this.counters.subscription }, pending };
  }

  reset(): void {
    this.entries = [];
    this.counters = emptyCounters();
  }
}

function emptyCounters(): Omit<WebhookStats, 'pending'> {
  return {
    workflow: { sent: 0, delivered: 0, failed: 0, attempts: 0 },
    subscription: { events: 0, duplicatesInjected: 0, batches: 0, attempts: 0, delivered: 0, failed: 0, dropped: 0 },
  };
}
