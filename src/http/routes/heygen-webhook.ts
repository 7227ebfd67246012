/**
 * `POST /webhooks/heygen`: render events. Verified, stored once (deduped on
 * the event id, or the body's hash), then handed to the engine as a hint.
 * `OPTIONS` answers 200 at once (HeyGen probes the URL on registration).
 *
 * With `heygen.acceptUnsignedCallbacks`, an unsigned callback is read only
 * within a rate limit, only when small, and stored only when it names the
 * video of a render in flight (a few per video). Its dedupe key lives in its
 * own namespace (`hgu_` + the body's hash), so it can never shadow a signed
 * event (`hgs_`). Even then it only makes that render due for a status read.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { parseInboundJson } from '../../core/json-depth.js';
import { acceptHeyGenCallback } from '../../engine/callbacks.js';
import { parseHeyGenCallback } from '../../heygen/callback.js';
import { verifyHeyGenSignature } from '../../heygen/callback-signature.js';
import { findRenderForCallback } from '../../store/find-renders.js';
import { receive } from '../../engine/lifecycle.js';
import { ThrottledWarning } from '../../observability/throttled-warning.js';
import { rawBodyOf, type AppOptions } from '../app.js';
import { UNSIGNED_MAX_BYTES, UnsignedCallbackGate } from '../unsigned-callbacks.js';

/** Dedupe-key prefixes: signed and unsigned events never share a key. */
export const SIGNED_CALLBACK_PREFIX = 'hgs_';
export const UNSIGNED_CALLBACK_PREFIX = 'hgu_';

export async function registerHeyGenWebhook(app: FastifyInstance, opts: AppOptions): Promise<void> {
  const { ctx } = opts;
  const rejections = new ThrottledWarning(ctx.log, () => ctx.clock.now());
  const unsignedGate = new UnsignedCallbackGate();
  app.options('/webhooks/heygen', async (_request, reply) => reply.code(200).send());
  app.post('/webhooks/heygen', async (request, reply) => {
    const raw = rawBodyOf(request.body);
    const verdict = verifyHeyGenSignature({
      rawBody: raw,
      headers: request.headers,
      secret: opts.secrets.heygenWebhookSecret,
      nowMs: ctx.clock.now(),
    });
    const signed = verdict.ok;
    if (!signed && !ctx.config.heygen.acceptUnsignedCallbacks) {
      ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'rejected' });
      rejections.warn(verdict.reason, {}, `HeyGen callback refused (401): ${verdict.reason}; check HEYGEN_WEBHOOK_SECRET (reelay setup prints it)`);
      return reply.code(401).send({ error: 'invalid_signature', message: verdict.reason });
    }
    if (!signed) {
      const now = ctx.clock.now();
      if (!unsignedGate.admit(now)) {
        ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'rejected' });
        rejections.warn('unsigned rate', {}, 'unsigned HeyGen callbacks refused (429): more than the rate limit');
        return reply
          .code(429)
          .header('retry-after', String(Math.max(1, Math.ceil(unsignedGate.retryAfterMs(now) / 1000))))
          .send({ error: 'rate_limited', message: 'too many unsigned callbacks; sign them (register the endpoint with reelay setup)' });
      }
      if (raw.length > UNSIGNED_MAX_BYTES) {
        ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'rejected' });
        return reply.code(413).send({ error: 'payload_too_large', message: `an unsigned callback may be at most ${UNSIGNED_MAX_BYTES} bytes` });
      }
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
    const bodyHash = createHash('sha256').update(raw).digest('hex');
    if (!signed) {
      // Unsigned: only about a render in flight, matched by its video id (never by a callback id it claims).
      const render = event.videoId === undefined ? undefined : await findRenderForCallback(ctx.store.db, { videoId: event.videoId });
      if (event.outcome === 'other' || render === undefined || (render.state !== 'rendering' && render.state !== 'submitting')) {
        ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'rejected' });
        return reply.code(401).send({ error: 'invalid_signature', message: 'unsigned callback for no render in flight' });
      }
      if (!unsignedGate.takeVideoSlot(event.videoId as string)) {
        ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'rejected' });
        return reply.code(429).send({ error: 'rate_limited', message: 'too many unsigned callbacks for this video' });
      }
    }
    const dedupeKey = signed ? `${SIGNED_CALLBACK_PREFIX}${event.eventId ?? bodyHash}` : `${UNSIGNED_CALLBACK_PREFIX}${bodyHash}`;
    const [outcome] = await receive(
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
      if (!signed) unsignedGate.returnVideoSlot(event.videoId as string);
      ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: 'duplicate' });
      return reply.code(200).send({ status: 'duplicate' });
    }
    const result = await acceptHeyGenCallback(ctx, event, { signed });
    request.log.debug({ eventType: event.eventType, videoId: event.videoId, result }, 'HeyGen callback');
    ctx.metrics.eventsReceived.inc({ source: 'heygen', outcome: result === 'hinted' ? 'accepted' : 'ignored' });
    return reply.code(200).send({ status: result });
  });
}
