/**
 * A tiny programmable HTTP server for client tests: canned answers queued per
 * route (`METHOD /path`, query ignored), every request recorded. Listens on
 * 127.0.0.1, port 0.
 *
 * An answer is JSON (`{ status, body, headers }`), raw text (`{ raw }`),
 * `{ hang: true }` (never answers, for timeouts), `{ reset: true }` (destroys
 * the socket after reading the request), or a function of the request.
 * When a route's queue is empty its `fallback` answer is used, else 501.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  /** The parsed JSON body, or null. */
  body: unknown;
}

/** An answer that is actually sent: JSON `body`, or `raw` text as is. */
export type CannedAnswer =
  | { status?: number; body?: unknown; headers?: Record<string, string> }
  | { status?: number; raw: string; headers?: Record<string, string> };

export type StubAnswer =
  | CannedAnswer
  | { hang: true }
  | { reset: true }
  | ((req: RecordedRequest) => StubAnswer);

export interface StubServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queue answers for `METHOD /path`, used once each in order. */
  enqueue(method: string, path: string, ...answers: StubAnswer[]): void;
  /** The answer for `METHOD /path` once its queue is empty. */
  fallback(method: string, path: string, answer: StubAnswer): void;
  requestsTo(method: string, path: string): RecordedRequest[];
  close(): Promise<void>;
}

function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  if (raw === '') return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

function send(res: ServerResponse, answer: CannedAnswer): void {
  const isRaw = 'raw' in answer;
  const text = isRaw ? answer.raw : answer.body === undefined ? '' : JSON.stringify(answer.body);
  const headers: Record<string, string> = { ...answer.headers };
  if (!isRaw && answer.body !== undefined) headers['content-type'] ??= 'application/json';
  res.writeHead(answer.status ?? 200, headers);
  res.end(text);
}

export async function startStubServer(): Promise<StubServer> {
  const queues = new Map<string, StubAnswer[]>();
  const fallbacks = new Map<string, StubAnswer>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    void (async () => {
      const rawBody = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://stub');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
      };
      requests.push(recorded);
      const key = routeKey(recorded.method, recorded.path);
      let answer: StubAnswer | undefined = queues.get(key)?.shift() ?? fallbacks.get(key);
      while (typeof answer === 'function') answer = answer(recorded);
      if (answer === undefined) {
        send(res, { status: 501, body: { message: `no stub answer for ${key}` } });
      } else if ('hang' in answer) {
        // Never answer; close() destroys the socket.
      } else if ('reset' in answer) {
        req.socket.destroy();
      } else {
        send(res, answer);
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue(method, path, ...answers) {
      const key = routeKey(method, path);
      queues.set(key, [...(queues.get(key) ?? []), ...answers]);
    },
    fallback(method, path, answer) {
      fallbacks.set(routeKey(method, path), answer);
    },
    requestsTo(method, path) {
      return requests.filter((r) => routeKey(r.method, r.path) === routeKey(method, path));
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
