/**
 * Everything the sandbox sends to the integration: workflow webhooks on
 * request, and subscription events raised by record writes.
 */
import type { Clock, Random } from '../../../core/clock.js';
import type { RecordStore, RecordWrite } from '../crm/record-store.js';
import { DeliveryLog, type DeliveryLogEntry, type WebhookStats } from './delivery-log.js';
import { PendingWork } from './pending-work.js';
import { defaultWebhookSettings, type WebhookSettings } from './settings.js';
import { SubscriptionDispatcher } from './subscription-dispatcher.js';
import { eventsForWrite, parseSubscriptions, PRIVACY_DELETION, type Subscription, type SubscriptionInput } from './subscriptions.js';
import { WorkflowSender, type DeliveryOutcome, type WorkflowWebhookInput } from './workflow-sender.js';

/** The in-process webhook controls of a running sandbox. */
export interface SandboxWebhooks {
  target(): string | undefined;
  /** Where subscription deliveries (and workflow webhooks without their own URL) go. */
  setTarget(url: string | undefined): void;
  settings(): WebhookSettings;
  configure(patch: Partial<WebhookSettings>): WebhookSettings;
  subscriptions(): Subscription[];
  /** Replaces the app's subscriptions. */
  setSubscriptions(inputs: readonly SubscriptionInput[]): Subscription[];
  /**
   * Sends one workflow webhook for a record; resolves after the final attempt.
   * Throws at once (CrmApiError) when the record does not exist or no URL is known.
   */
  sendWorkflow(input: WorkflowWebhookInput): Promise<DeliveryOutcome>;
  /**
   * Raises `contact.privacyDeletion` for a contact, as HubSpot does after a
   * privacy-compliant delete for an app subscribed to it (`hubEvents`): one
   * signed subscription delivery to the target.
   */
  privacyDeletion(contactId: string): void;
  log(): readonly DeliveryLogEntry[];
  stats(): WebhookStats;
  /** Resolves when nothing is queued, in flight or waiting to retry. */
  drain(): Promise<void>;
}

/** The id the sandbox gives the app's `hubEvents` privacy deletion subscription. */
const PRIVACY_SUBSCRIPTION_ID = 900_001;

export interface WebhookHubOptions {
  records: RecordStore;
  clock: Clock;
  random: Random;
  clientSecret: string;
  portalId: number;
  appId: number;
  target?: string;
  settings?: Partial<WebhookSettings>;
}

export class WebhookHub implements SandboxWebhooks {
  private readonly pendingWork = new PendingWork();
  private readonly deliveryLog = new DeliveryLog();
  private readonly workflow: WorkflowSender;
  private readonly dispatcher: SubscriptionDispatcher;
  private current: WebhookSettings;
  private targetUrl: string | undefined;
  private subs: Subscription[] = [];
  private nextSubscriptionId = 1;
  private nextEventId: number;

  constructor(private readonly opts: WebhookHubOptions) {
    this.current = { ...defaultWebhookSettings, ...opts.settings };
    this.targetUrl = opts.target;
    this.nextEventId = 100_000_000 + Math.floor(opts.random() * 100_000_000);
    const shared = {
      clock: opts.clock,
      random: opts.random,
      clientSecret: opts.clientSecret,
      pending: this.pendingWork,
      log: this.deliveryLog,
      settings: () => this.current,
      target: () => this.targetUrl,
    };
    this.workflow = new WorkflowSender({ ...shared, records: opts.records });
    this.dispatcher = new SubscriptionDispatcher(shared);
  }

  /** Record-store listener: raise events for matching subscriptions. */
  readonly onWrite = (write: RecordWrite): void => {
    if (this.subs.length === 0) return;
    const events = eventsForWrite(write, this.subs, {
      portalId: this.opts.portalId,
      appId: this.opts.appId,
      nextEventId: () => this.nextEventId++,
      form: this.current.eventForm,
    });
    this.dispatcher.enqueue(events);
  };

  target(): string | undefined {
    return this.targetUrl;
  }

  setTarget(url: string | undefined): void {
    this.targetUrl = url;
  }

  settings(): WebhookSettings {
    return { ...this.current };
  }

  configure(patch: Partial<WebhookSettings>): WebhookSettings {
    this.current = { ...this.current, ...patch };
    return this.settings();
  }

  subscriptions(): Subscription[] {
    return this.subs.map((s) => ({ ...s }));
  }

  setSubscriptions(inputs: readonly SubscriptionInput[]): Subscription[] {
    const parsed = parseSubscriptions(inputs, this.nextSubscriptionId);
    this.nextSubscriptionId += parsed.length;
    this.subs = parsed;
    return this.subscriptions();
  }

  sendWorkflow(input: WorkflowWebhookInput): Promise<DeliveryOutcome> {
    return this.workflow.send(input);
  }

  privacyDeletion(contactId: string): void {
    this.dispatcher.enqueue([
      {
        eventId: this.nextEventId++,
        subscriptionId: PRIVACY_SUBSCRIPTION_ID,
        portalId: this.opts.portalId,
        appId: this.opts.appId,
        occurredAt: this.opts.clock.now(),
        subscriptionType: PRIVACY_DELETION,
        attemptNumber: 0,
        objectId: Number(contactId),
        changeSource: 'CRM_UI',
      },
    ]);
  }

  log(): readonly DeliveryLogEntry[] {
    return this.deliveryLog.list();
  }

  stats(): WebhookStats {
    return this.deliveryLog.stats(this.pendingWork.pending());
  }

  resetStats(): void {
    this.deliveryLog.reset();
  }

  drain(): Promise<void> {
    return this.pendingWork.drain();
  }

  close(): void {
    this.dispatcher.close();
    this.pendingWork.close();
  }
}
