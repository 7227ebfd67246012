/** One load-generator run (autocannon, in this process) against a webhook path. */
import autocannon from 'autocannon';
import type { SignedDelivery } from './signed-events.js';

export interface LoadRun {
  baseUrl: string;
  path: string;
  seconds: number;
  connections: number;
  /** Requests per second across all connections; omit to send as fast as answers come. */
  rate?: number;
  /** Builds each request's body and headers. */
  next(): SignedDelivery;
}

export interface LoadResult {
  seconds: number;
  ok: number;
  /** Answers outside 2xx, connection errors and timeouts. */
  failed: number;
  okPerSecond: number;
  /** Latency of 2xx answers, ms. */
  p50: number;
  p99: number;
  max: number;
}

export async function runLoad(run: LoadRun): Promise<LoadResult> {
  const result = await autocannon({
    url: run.baseUrl,
    connections: run.connections,
    duration: run.seconds,
    ...(run.rate === undefined ? {} : { overallRate: run.rate }),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: run.path,
        setupRequest: (request) => {
          const delivery = run.next();
          return { ...request, method: 'POST', path: run.path, headers: delivery.headers, body: delivery.body };
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    seconds: result.duration,
    ok,
    failed: result.non2xx + result.errors + result.timeouts,
    okPerSecond: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}
