/**
 * Warnings that a caller outside our control can trigger at will (bad
 * signatures, malformed bodies) are logged once per reason per minute, with
 * the count of those suppressed, so a flood cannot flood the logs.
 */
import type { Logger } from './logger.js';

const EVERY_MS = 60_000;

export class ThrottledWarning {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  warn(reason: string, fields: Record<string, unknown>, message: string): void {
    const now = this.now();
    const seen = this.last.get(reason);
    if (seen && now - seen.at < EVERY_MS) {
      seen.suppressed += 1;
      return;
    }
    this.last.set(reason, { at: now, suppressed: 0 });
    this.log.warn({ ...fields, reason, suppressedSinceLast: seen?.suppressed ?? 0 }, message);
  }
}
