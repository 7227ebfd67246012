/**
 * The exact HTTP request the HeyGen client would send for a render, without
 * sending it: the real client runs over a `fetch` that records the request
 * and stops it there. So a dry run shows what the client really builds
 * (path, headers, body, the title's callback marker), not a copy of it.
 */
import { createHeyGenClient, type CreateFromTemplateRequest, type HeyGenApi } from '../heygen/client.js';

export interface RequestPreview {
  method: string;
  url: string;
  /** Without credentials. */
  headers: Record<string, string>;
  body: unknown;
}

export type PreviewResult = { ok: true; request: RequestPreview } | { ok: false; reason: string };

const HIDDEN_HEADERS = new Set(['x-api-key', 'authorization', 'accept']);

/** Thrown by the recording fetch so that nothing leaves the process. */
class Halted extends Error {}

function shownHeaders(headers: RequestInit['headers']): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of new Headers(headers).entries()) if (!HIDDEN_HEADERS.has(name)) shown[name] = value;
  return shown;
}

function parseBody(body: RequestInit['body']): unknown {
  return typeof body === 'string' ? (JSON.parse(body) as unknown) : null;
}

export async function previewCreateRequest(api: HeyGenApi, baseUrl: string, request: CreateFromTemplateRequest): Promise<PreviewResult> {
  let recorded: RequestPreview | undefined;
  const record: typeof fetch = async (input, init) => {
    recorded = { method: init?.method ?? 'GET', url: String(input), headers: shownHeaders(init?.headers), body: parseBody(init?.body) };
    throw new Halted('dry run: not sent');
  };
  const client = createHeyGenClient({ api, baseUrl, apiKey: 'dry-run', timeoutMs: 1_000, fetch: record });
  try {
    await client.createFromTemplate(request);
  } catch (err) {
    if (recorded !== undefined) return { ok: true, request: recorded };
    // The client refused before sending (e.g. `test` on v3): that is what would happen.
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
  throw new Error('the HeyGen client answered without sending a request');
}
