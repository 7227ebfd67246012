/**
 * `POST /webhooks/heygen`: render events. Verified, stored once (deduped on
 * the event id, or the body's hash), then handed to the engine as a hint.
 * `OPTIONS` answers 200 at once (HeyGen probes the URL on registration).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { parseInboundJson } from '../../core/json-depth.js';
import { acceptHeyGenCallback } from '../../engine/callbacks.js';
import { parseHeyGenCallback } from '../../heygen/callback.js';
import { verifyHeyGenSignature } from '../../heygen/callback-signature.js';
import { ingestEvents } from '../../store/ingest-events.js';
import { ThrottledWarning } from '../../observability/throttled-warning.js';
import { rawBodyOf, type AppOptions } from '../app.js';

export async function registerHeyGenWebhook(app: FastifyInstance, opts: AppOptions): Promise<void> {
  const { ctx } = opts;
  const rejections = new ThrottledWarning(ctx.log, () => ctx.clock.now());
  app.options('/webhooks/heygen', async (_request, reply) => reply.code(200).send());
  app.post('/webhooks/heygen', async (request, reply) => {
    const raw = rawBodyOf(request.body);
    const verdict = verifyHeyGenSignature({
      rawBody: raw,
      headers: request.headers,
      secret: opts.secrets.heygenWebhookSecret,
      nowMs: ctx.clock.now(),
    });
    if (!verdict.ok && !ctx.config.heygen.acceptUnsignedCallbacks) {
      ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'rejected' });
      rejections.warn(verdict.reason, {}, `HeyGen callback refused (401): ${verdict.reason}; check HEYGEN_WEBHOOK_SECRET (reelay setup prints it)`);
      return reply.code(401).send({ error: 'invalid_signature', message: verdict.reason });
    }
    const text = raw.toString('utf8');
    const json = parseInboundJson(text);
    if (!json.ok) {
      ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'rejected' });
      return reply.code(400).send({ error: 'malformed_body', message: json.message });
    }
    const body = json.value;
    const parsed = parseHeyGenCallback(body);
    if (!parsed.ok) {
      ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'rejected' });
      return reply.code(400).send({ error: 'malformed_body', message: parsed.reason });
    }
    const event = parsed.event;
    const dedupeKey = `hg_${event.eventId ?? createHash('sha256').update(raw).digest('hex')}`;
    const [outcome] = await ingestEvents(
      ctx.store,
      [
        {
          event: {
            source: 'heygen',
            dedupe_key: dedupeKey,
            portal_id: '',
            kind: event.eventType,
            object_type: null,
            object_id: event.videoId ?? null,
            campaign_id: null,
            status: event.outcome === 'other' ? 'ignored' : 'accepted',
            reason: event.outcome === 'other' ? `event type ${event.eventType} is not one Reelay acts on` : null,
            payload: text,
          },
          renders: [],
        },
      ],
      ctx.clock.now(),
      { durable: false },
    );
    if (outcome?.duplicate) {
      ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'duplicate' });
      return reply.code(200).send({ status: 'duplicate' });
    }
    const result = await acceptHeyGenCallback(ctx, event);
    request.log.debug({ eventType: event.eventType, videoId: event.videoId, result }, 'HeyGen callback');
    ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: result === 'hinted' ? 'accepted' : 'ignored' });
    return reply.code(200).send({ status: result });
  });
}
