/**
 * How busy this thread's event loop has been lately: the share of the last
 * completed window (100 ms by default) it spent running code rather than
 * waiting for I/O (Node's event-loop utilization). Cheap to call often: it
 * samples at most once a window and answers the last figure in between.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export function eventLoopBusyShare(windowMs = 100): () => number {
  let mark: EventLoopUtilization = performance.eventLoopUtilization();
  let markedAt = performance.now();
  let share = 0;
  return () => {
    const now = performance.now();
    if (now - markedAt >= windowMs) {
      const next = performance.eventLoopUtilization();
      share = performance.eventLoopUtilization(next, mark).utilization;
      mark = next;
      markedAt = now;
    }
    return share;
  };
}
