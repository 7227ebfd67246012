/**
 * Parsing of HeyGen webhook event bodies:
 * `{ event_id?, event_type, event_data: { video_id, callback_id, url | video_url, msg? }, created_at? }`.
 *
 * The result is a hint for matching a render (by video id or callback id);
 * the URL in it must never be written anywhere, since the render's state and
 * links are read from the HeyGen API.
 */

export type HeyGenCallbackOutcome = 'success' | 'fail' | 'other';

export interface HeyGenCallbackEvent {
  /** Present on v3 deliveries; the store dedupes on it. */
  eventId?: string;
  eventType: string;
  outcome: HeyGenCallbackOutcome;
  videoId?: string;
  callbackId?: string;
  url?: string;
  /** Why the render failed, for `fail` events. */
  message?: string;
  raw: unknown;
}

export type HeyGenCallbackResult = { ok: true; event: HeyGenCallbackEvent } | { ok: false; reason: string };

/** `video.completed` / `video.failed` are the seed guide's names, accepted as aliases. */
const OUTCOMES: Readonly<Record<string, HeyGenCallbackOutcome>> = {
  'avatar_video.success': 'success',
  'video.completed': 'success',
  'avatar_video.fail': 'fail',
  'video.failed': 'fail',
};

type JsonObject = Record<string, unknown>;

export function parseHeyGenCallback(body: unknown): HeyGenCallbackResult {
  if (!isObject(body)) return { ok: false, reason: 'body must be a JSON object' };

  const eventType = typeof body.event_type === 'string' ? body.event_type.trim() : '';
  if (eventType.length === 0) return { ok: false, reason: 'missing event_type' };

  const data = body.event_data ?? {};
  if (!isObject(data)) return { ok: false, reason: 'event_data must be a JSON object' };

  const outcome = OUTCOMES[eventType] ?? 'other';
  const eventId = asId(body.event_id);
  const videoId = asId(data.video_id);
  const callbackId = asId(data.callback_id);
  const url = asNonEmpty(data.url) ?? asNonEmpty(data.video_url);
  const message = outcome === 'fail' ? failureMessage(data) : undefined;

  return {
    ok: true,
    event: {
      ...(eventId === undefined ? {} : { eventId }),
      eventType,
      outcome,
      ...(videoId === undefined ? {} : { videoId }),
      ...(callbackId === undefined ? {} : { callbackId }),
      ...(url === undefined ? {} : { url }),
      ...(message === undefined ? {} : { message }),
      raw: body,
    },
  };
}

function failureMessage(data: JsonObject): string | undefined {
  for (const candidate of [data.msg, data.message, data.error]) {
    const text = asNonEmpty(candidate);
    if (text !== undefined) return text;
    // `error` is sometimes an object `{ code, message }` as in the status API.
    if (isObject(candidate)) {
      const nested = asNonEmpty(candidate.message) ?? asNonEmpty(candidate.detail);
      const code = asId(candidate.code);
      if (nested !== undefined) return code === undefined ? nested : `${code}: ${nested}`;
      if (code !== undefined) return code;
    }
  }
  return undefined;
}

function asId(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return asNonEmpty(value);
}

function asNonEmpty(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length === 0 ? undefined : trimmed;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
