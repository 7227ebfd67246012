/**
 * Counts events in a rolling window: an event at time t counts during
 * [t, t + windowMs). Times must not go backwards (a Clock never does).
 */
export class RollingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  count(now: number): number {
    this.evict(now);
    return this.times.length - this.head;
  }

  add(now: number): void {
    this.evict(now);
    this.times.push(now);
  }

  /** Milliseconds until the oldest counted event leaves the window (0 when empty). */
  msUntilNextSlot(now: number): number {
    this.evict(now);
    const oldest = this.times[this.head];
    return oldest === undefined ? 0 : Math.max(0, oldest + this.windowMs - now);
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }

  private evict(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] ?? Infinity) <= cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

/** The highest number of events seen in any window, kept incrementally. */
export class PeakWindow {
  private readonly window: RollingWindow;
  private peakCount = 0;

  constructor(windowMs: number) {
    this.window = new RollingWindow(windowMs);
  }

  add(now: number): void {
    this.window.add(now);
    this.peakCount = Math.max(this.peakCount, this.window.count(now));
  }

  peak(): number {
    return this.peakCount;
  }

  reset(): void {
    this.window.clear();
    this.peakCount = 0;
  }
}
