/**
 * HeyGen's concurrency window: how many renders may be in flight. It starts
 * at the plan's limit (`heygen.concurrency`); a 429 shrinks it to what was
 * in flight when HeyGen refused, and each later success grows it back by one.
 */
export class HeyGenWindow {
  private current: number;
  private holdUntil = 0;

  constructor(private readonly configured: number) {
    this.current = configured;
  }

  get size(): number {
    return this.current;
  }

  /** The plan's limit (`heygen.concurrency`), which the window grows back to. */
  get limit(): number {
    return this.configured;
  }

  /** Free places given how many renders are in flight now. */
  free(inFlight: number, now: number): number {
    if (now < this.holdUntil) return 0;
    return Math.max(0, this.current - inFlight);
  }

  rateLimited(inFlight: number, retryAfterMs: number, now: number): void {
    this.current = Math.max(1, Math.min(this.current, inFlight));
    this.holdUntil = Math.max(this.holdUntil, now + retryAfterMs);
  }

  accepted(): void {
    if (this.current < this.configured) this.current += 1;
  }
}
