/**
 * `Idempotency-Key` on v3 creates, as HeyGen documents it: a key is scoped to
 * its route and resource (`POST /v3/templates/{id}`); a retry within 24 h
 * replays the original answer (the creation-time snapshot, even if the body
 * differs); a retry while the first request is still being processed gets 409
 * `request_in_progress`. Only accepted creates are stored: a refused one
 * (400, 402, 429...) frees its key for the next attempt.
 */
import type { Clock } from '../../core/clock.js';
import { invalidParameter } from './api-error.js';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const KEY_PATTERN = /^[A-Za-z0-9_:.-]{1,255}$/;

export interface StoredResponse {
  statusCode: number;
  body: unknown;
  videoId: string;
}

interface StoredEntry {
  response: StoredResponse;
  storedAtMs: number;
}

export type Claim = { kind: 'new' } | { kind: 'in_progress' } | { kind: 'replay'; response: StoredResponse };

/** Reads the header; undefined when absent, 400 when malformed. */
export function readIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !KEY_PATTERN.test(key)) {
    throw invalidParameter('Idempotency-Key must be 1-255 characters from [A-Za-z0-9_:.-]');
  }
  return key;
}

export class IdempotencyStore {
  private readonly inProgress = new Set<string>();
  /** Insertion order is storage order, so the oldest answers come first. */
  private readonly stored = new Map<string, StoredEntry>();

  constructor(
    private readonly clock: Clock,
    private readonly windowMs = IDEMPOTENCY_WINDOW_MS,
  ) {}

  get inProgressCount(): number {
    return this.inProgress.size;
  }

  /** Claims `key` for a new request, or says why it cannot be (replay / in progress). */
  claim(scope: string, key: string): Claim {
    const id = `${scope}\n${key}`;
    if (this.inProgress.has(id)) return { kind: 'in_progress' };
    const entry = this.stored.get(id);
    if (entry) {
      if (!this.expired(entry)) return { kind: 'replay', response: entry.response };
      this.stored.delete(id);
    }
    this.inProgress.add(id);
    return { kind: 'new' };
  }

  complete(scope: string, key: string, response: StoredResponse): void {
    const id = `${scope}\n${key}`;
    this.inProgress.delete(id);
    this.stored.set(id, { response, storedAtMs: this.clock.now() });
    this.pruneExpired();
  }

  release(scope: string, key: string): void {
    this.inProgress.delete(`${scope}\n${key}`);
  }

  clear(): void {
    this.inProgress.clear();
    this.stored.clear();
  }

  private expired(entry: StoredEntry): boolean {
    return this.clock.now() - entry.storedAtMs >= this.windowMs;
  }

  /** Drops expired answers from the oldest end; stops at the first live one (amortised O(1)). */
  private pruneExpired(): void {
    for (const [id, entry] of this.stored) {
      if (!this.expired(entry)) return;
      this.stored.delete(id);
    }
  }
}
