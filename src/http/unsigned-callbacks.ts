/**
 * Limits on unsigned HeyGen callbacks (`heygen.acceptUnsignedCallbacks`).
 * Anyone can send one, so they are bounded on every axis: how many a
 * minute (before anything is looked up), how large, and how many are stored
 * per video. Only callbacks about a render in flight are stored at all.
 * Per process and in memory: a restart forgets the counts, which only
 * matters to an attacker who can restart the service.
 */

/** Unsigned callbacks read per minute, per process, whatever they say. */
export const UNSIGNED_PER_MINUTE = 120;
/** The largest unsigned body read and stored (real ones are a few hundred bytes). */
export const UNSIGNED_MAX_BYTES = 4096;
/** Unsigned callbacks stored per video: HeyGen sends one per outcome, plus the odd redelivery. */
export const UNSIGNED_PER_VIDEO = 5;
/** Videos whose counts are remembered; beyond this the oldest are forgotten. */
const TRACKED_VIDEOS = 10_000;
const MINUTE_MS = 60_000;

export class UnsignedCallbackGate {
  private windowStart = 0;
  private inWindow = 0;
  private readonly storedPerVideo = new Map<string, number>();

  /** Whether one more unsigned callback may be read now; counts it. */
  admit(now: number): boolean {
    if (now - this.windowStart >= MINUTE_MS) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= UNSIGNED_PER_MINUTE) return false;
    this.inWindow += 1;
    return true;
  }

  /** Milliseconds until `admit` can say yes again. */
  retryAfterMs(now: number): number {
    return Math.max(0, this.windowStart + MINUTE_MS - now);
  }

  /** Whether another unsigned callback about this video may be stored; counts it. */
  takeVideoSlot(videoId: string): boolean {
    const stored = this.storedPerVideo.get(videoId) ?? 0;
    if (stored >= UNSIGNED_PER_VIDEO) return false;
    if (!this.storedPerVideo.has(videoId) && this.storedPerVideo.size >= TRACKED_VIDEOS) {
      const oldest = this.storedPerVideo.keys().next().value;
      if (oldest !== undefined) this.storedPerVideo.delete(oldest);
    }
    this.storedPerVideo.set(videoId, stored + 1);
    return true;
  }

  /** Gives a slot back when the callback turned out to be a duplicate (nothing stored). */
  returnVideoSlot(videoId: string): void {
    const stored = this.storedPerVideo.get(videoId);
    if (stored !== undefined && stored > 0) this.storedPerVideo.set(videoId, stored - 1);
  }
}
