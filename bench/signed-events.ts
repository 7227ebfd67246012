/**
 * Distinct, freshly signed HubSpot subscription deliveries of one event
 * each, as the load generator sends them: every request is new durable
 * work (its own eventId), signed v3 with the current time as HubSpot does.
 */
import { signV3 } from '../test/helpers/signing.js';

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

export interface SignedEventSourceOptions {
  /** The full URL the delivery is signed for (PUBLIC_URL + path). */
  url: string;
  clientSecret: string;
  portalId: number;
  /** Records the events are about, used in turn. */
  objectIds: readonly string[];
  /** First eventId (seeded, so runs are reproducible and runs never collide). */
  firstEventId: number;
  now?: () => number;
}

export class SignedEventSource {
  private nextEventId: number;
  private sent = 0;
  private readonly now: () => number;

  constructor(private readonly opts: SignedEventSourceOptions) {
    if (opts.objectIds.length === 0) throw new Error('SignedEventSource needs at least one record id');
    this.nextEventId = opts.firstEventId;
    this.now = opts.now ?? Date.now;
  }

  get count(): number {
    return this.sent;
  }

  next(): SignedDelivery {
    const occurredAt = this.now();
    const objectId = this.opts.objectIds[this.sent % this.opts.objectIds.length] as string;
    const body = JSON.stringify([
      {
        eventId: this.nextEventId++,
        subscriptionId: 1,
        portalId: this.opts.portalId,
        appId: 1160452,
        occurredAt,
        subscriptionType: 'contact.propertyChange',
        attemptNumber: 0,
        objectId: Number(objectId),
        propertyName: 'lifecyclestage',
        propertyValue: 'marketingqualifiedlead',
        changeSource: 'CRM_UI',
      },
    ]);
    this.sent += 1;
    return {
      body,
      headers: { 'content-type': 'application/json', ...signV3(this.opts.clientSecret, 'POST', this.opts.url, body, occurredAt) },
    };
  }
}
