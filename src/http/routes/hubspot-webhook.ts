/**
 * `POST /webhooks/hubspot`: workflow webhooks (one object) and app
 * subscription deliveries (arrays). Verify on the raw bytes, then parse,
 * then store; 2xx only once the events are durable.
 */
import type { FastifyInstance } from 'fastify';
import { PRIVACY_EVENT_KIND } from '../../core/erasure.js';
import { parseInboundJson } from '../../core/json-depth.js';
import { countIntake, planIntake } from '../../engine/intake.js';
import { parseHubSpotDelivery } from '../../hubspot/delivery.js';
import { buildSignatureUri, verifyHubSpotSignature } from '../../hubspot/signature.js';
import { ThrottledWarning } from '../../observability/throttled-warning.js';
import { noteServerError, rawBodyOf, type AppOptions } from '../app.js';

export async function registerHubSpotWebhook(app: FastifyInstance, opts: AppOptions): Promise<void> {
  const { ctx } = opts;
  const rejections = new ThrottledWarning(ctx.log, () => ctx.clock.now());
  app.post('/webhooks/hubspot', async (request, reply) => {
    const started = process.hrtime.bigint();
    const raw = rawBodyOf(request.body);
    const uri = buildSignatureUri({
      ...(ctx.publicUrl ? { publicUrl: ctx.publicUrl } : {}),
      path: request.raw.url ?? request.url,
      ...(request.headers.host ? { host: request.headers.host } : {}),
      protocol: headerValue(request.headers['x-forwarded-proto']) ?? request.protocol,
    });
    const verdict = verifyHubSpotSignature({
      method: request.method,
      uri,
      rawBody: raw,
      headers: request.headers,
      clientSecret: opts.secrets.hubspotClientSecret,
      nowMs: ctx.clock.now(),
    });
    if (!verdict.ok) {
      ctx.metrics.eventsReceived.inc({ source: 'hubspot', outcome: 'rejected' });
      rejections.warn(verdict.reason, { uri }, `HubSpot webhook refused (401): ${verdict.reason}; check HUBSPOT_CLIENT_SECRET and PUBLIC_URL`);
      return reply.code(401).send({ error: 'invalid_signature', message: verdict.reason });
    }
    if (Array.isArray((request.query as Record<string, unknown> | undefined)?.campaign)) {
      // Read as "no campaign", a workflow body would be matched by triggers instead of the campaign its URL names.
      ctx.metrics.eventsReceived.inc({ source: 'hubspot', outcome: 'rejected' });
      return reply.code(400).send({ error: 'malformed_body', message: '?campaign= given more than once' });
    }
    const campaignParam = queryParam(request.query, 'campaign');
    if (verdict.version === 'v1' && campaignParam !== undefined) {
      // v1 signs the body only: a captured delivery could be aimed at any campaign. Only a signature over the URL binds it.
      const reason = '?campaign= needs a v2 or v3 signature (v1 signs the body only, not the URL that names the campaign)';
      ctx.metrics.eventsReceived.inc({ source: 'hubspot', outcome: 'rejected' });
      rejections.warn('v1 with campaign', {}, `HubSpot webhook refused (401): ${reason}; workflow webhooks must include the request signature`);
      return reply.code(401).send({ error: 'invalid_signature', message: reason });
    }
    const json = parseInboundJson(raw.toString('utf8'));
    // PostgreSQL text cannot hold U+0000: refused like a NUL in the body.
    const refusal = json.ok ? (campaignParam?.includes('\u0000') ? '?campaign= must not contain NUL characters' : undefined) : json.message;
    if (!json.ok || refusal !== undefined) {
      ctx.metrics.eventsReceived.inc({ source: 'hubspot', outcome: 'rejected' });
      rejections.warn(refusal ?? 'malformed', {}, `HubSpot webhook refused (400): ${refusal}`);
      return reply.code(400).send({ error: 'malformed_body', message: refusal });
    }
    const body = json.value;
    const parsed = parseHubSpotDelivery(body, {
      ...(campaignParam === undefined ? {} : { campaignParam }),
      defaultPortalId: ctx.config.hubspot.portalId,
    });
    if (!parsed.ok) {
      ctx.metrics.eventsReceived.inc({ source: 'hubspot', outcome: 'rejected' });
      rejections.warn(parsed.reason, {}, `HubSpot webhook refused (400): ${parsed.reason}`);
      return reply.code(400).send({ error: 'malformed_body', message: parsed.reason });
    }
    if (!opts.accepting()) return reply.code(503).header('retry-after', '5').send({ error: 'shutting_down', requestId: request.id });

    const items = planIntake(parsed.events, ctx.config, campaignParam);
    let outcomes;
    try {
      outcomes = await opts.intake.write(items);
    } catch (err) {
      // Nothing stored: HubSpot must retry, so this is a 503, never a 2xx. The cause goes to the log, not the body.
      noteServerError(request, err);
      return reply.code(503).header('retry-after', '5').send({ error: 'store_unavailable', requestId: request.id });
    }
    const { accepted, duplicates, ignored } = countIntake(items, outcomes, ctx.metrics);
    ctx.metrics.intakeLatency.observe({ route: 'hubspot' }, Number(process.hrtime.bigint() - started) / 1e9);
    if (ignored > 0) request.log.debug({ ignored, reasons: items.filter((i) => i.event.status === 'ignored').map((i) => i.event.reason) }, 'events ignored');
    if (accepted > 0) ctx.wake('enrich');
    if (items.some((i) => i.event.kind === PRIVACY_EVENT_KIND)) ctx.wake('privacy');
    return reply.code(200).send({ accepted, duplicates, ignored });
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function queryParam(query: unknown, name: string): string | undefined {
  if (typeof query !== 'object' || query === null) return undefined;
  const value = (query as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
