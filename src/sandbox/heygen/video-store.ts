/** Every render the sandbox has accepted, by id and in creation order. */
import type { RenderPlan } from './render-plan.js';

export type VideoStatus = 'waiting' | 'pending' | 'processing' | 'completed' | 'failed';

export interface VideoFailure {
  code: string;
  message: string;
}

export interface VideoRecord {
  /** Position in creation order; also the paging cursor. */
  readonly seq: number;
  readonly id: string;
  readonly api: 'v3' | 'v2';
  readonly templateId: string;
  readonly title: string | null;
  readonly callbackId: string | null;
  readonly callbackUrl: string | null;
  readonly folderId: string | null;
  readonly caption: boolean;
  readonly enableSharing: boolean;
  readonly includeGif: boolean;
  /** v2 `test: true`: watermarked, never billed, not in the ledger. */
  readonly test: boolean;
  readonly idempotencyKey: string | null;
  readonly variables: Readonly<Record<string, string>>;
  readonly unfilledVariables: readonly string[];
  readonly createdAtMs: number;
  readonly plan: RenderPlan;
  status: VideoStatus;
  completedAtMs: number | null;
  /** Seconds of video, known once completed. */
  durationS: number | null;
  failure: VideoFailure | null;
  /** Never reaches a final status (fault `stuckRate`). */
  stuck: boolean;
}

export interface Page<T> {
  items: T[];
  nextToken: string | null;
}

/** Opaque cursor: the sequence number to continue below. */
const encodeToken = (seq: number): string => Buffer.from(`seq:${seq}`).toString('base64url');

function decodeToken(token: string): number | undefined {
  const match = /^seq:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return match ? Number(match[1]) : undefined;
}

/**
 * Newest-first page over an append-only list whose index equals `seq`.
 * Returns undefined for an unreadable token. O(limit).
 */
export function pageNewestFirst<T>(items: readonly T[], limit: number, token: string | undefined): Page<T> | undefined {
  let start = items.length - 1;
  if (token !== undefined && token !== '') {
    const seq = decodeToken(token);
    if (seq === undefined) return undefined;
    start = Math.min(seq - 1, items.length - 1);
  }
  const page: T[] = [];
  let i = start;
  for (; i >= 0 && page.length < limit; i--) page.push(items[i] as T);
  return { items: page, nextToken: i >= 0 ? encodeToken(i + 1) : null };
}

export class VideoStore {
  private readonly byId = new Map<string, VideoRecord>();
  private ordered: VideoRecord[] = [];

  get size(): number {
    return this.ordered.length;
  }

  nextSeq(): number {
    return this.ordered.length;
  }

  add(video: VideoRecord): void {
    this.byId.set(video.id, video);
    this.ordered.push(video);
  }

  get(id: string): VideoRecord | undefined {
    return this.byId.get(id);
  }

  /** Deletes a video for good (HeyGen's delete endpoints); the billing ledger keeps its row. False when unknown. */
  delete(id: string): boolean {
    // `ordered` stays append-only (its index is the paging cursor); listings skip what `byId` no longer has.
    return this.byId.delete(id);
  }

  all(): readonly VideoRecord[] {
    return this.ordered.filter((v) => this.byId.has(v.id));
  }

  page(limit: number, token: string | undefined): Page<VideoRecord> | undefined {
    const page = pageNewestFirst(this.ordered, limit, token);
    return page && { ...page, items: page.items.filter((v) => this.byId.has(v.id)) };
  }

  clear(): void {
    this.byId.clear();
    this.ordered = [];
  }
}
