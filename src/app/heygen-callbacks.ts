/** `POST /webhooks/heygen`: what the route reads and stores. */
import { ERASED_ID } from '../core/erasure.js';
import { receive } from '../engine/lifecycle.js';
import type { Store } from '../store/db.js';
import { findRenderForCallback } from '../store/find-renders.js';
import type { IngestItem } from '../store/ingest-events.js';
import type { RenderRow } from '../store/schema.js';

/** The render that HeyGen video belongs to, if any. */
export function findRenderOfVideo(store: Store, videoId: string): Promise<RenderRow | undefined> {
  return findRenderForCallback(store, { videoId });
}

/**
 * Stores a HeyGen callback once (deduped on its key). Not durable: a
 * callback is only a hint, and one lost to a power cut is repaired by polling.
 */
export async function recordHeyGenCallback(store: Store, event: IngestItem['event'], now: number): Promise<{ duplicate: boolean }> {
  // A late callback about a forgotten person's video is kept only as a fact (for dedupe), not its body: it may echo the title.
  const videoId = event.object_id;
  const forgotten = typeof videoId === 'string' && (await findRenderOfVideo(store, videoId))?.object_id === ERASED_ID;
  const stored = forgotten ? { ...event, payload: '{}' } : event;
  const [outcome] = await receive(store, [{ event: stored, renders: [] }], now, { durable: false });
  return { duplicate: outcome?.duplicate === true };
}
