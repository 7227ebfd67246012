/**
 * The dashboard as a script (or a test) uses it over HTTP: sign in with the
 * admin token, keep the session cookie, read the CSRF token from a page,
 * read figures through their `data-metric` hooks. And renders seeded
 * straight into the store, in any state, for pages to show.
 */
import type { Store } from '../../src/store/db.js';
import type { NewRender } from '../../src/store/schema.js';
import type { RenderState } from '../../src/core/states.js';

export interface SeedRender {
  campaign: string;
  state: RenderState;
  objectType?: string;
  objectId?: string;
  createdAt: number;
  /** Billed: HeyGen accepted it at this time (a video id is set). */
  submittedAt?: number;
  errorCode?: string;
  errorMessage?: string;
  title?: string;
  variables?: Record<string, string>;
}

let seq = 0;

/** Inserts the renders (live ones are due a day later, so no worker takes them); returns their ids in order. */
export async function seedRenders(store: Store, renders: SeedRender[]): Promise<number[]> {
  const ids: number[] = [];
  for (const r of renders) {
    seq += 1;
    const live = ['received', 'enriched', 'submitting', 'rendering'].includes(r.state);
    const row: NewRender = {
      portal_id: '1',
      campaign_id: r.campaign,
      object_type: r.objectType ?? 'contacts',
      object_id: r.objectId ?? String(900_000 + seq),
      state: r.state,
      render_key: r.state === 'received' ? null : `seed-${seq}-${Math.random().toString(36).slice(2)}`,
      api: 'v3',
      submission: 1,
      template_id: 'tpl_seed',
      title: r.title ?? `Seeded ${seq}`,
      variables: r.variables ? JSON.stringify(r.variables) : r.state === 'received' ? null : JSON.stringify({ first_name: `Person ${seq}` }),
      video_id: r.submittedAt !== undefined ? `vid_seed_${seq}` : null,
      submitted_at: r.submittedAt ?? null,
      error_code: r.errorCode ?? null,
      error_message: r.errorMessage ?? null,
      attempts: 0,
      run_at: live ? r.createdAt + 86_400_000 : r.createdAt,
      created_at: r.createdAt,
      updated_at: r.createdAt,
      finished_at: live ? null : r.createdAt + 1_000,
    };
    const inserted = await store.db.insertInto('renders').values(row).returning('id').executeTakeFirstOrThrow();
    ids.push(Number(inserted.id));
  }
  return ids;
}

export interface DashboardClient {
  base: string;
  cookie: string;
  get(path: string): Promise<Response>;
  /** The CSRF token of the session, read from a page's sign-out form. */
  csrf(): Promise<string>;
  post(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
}

export function formPost(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

export async function signIn(base: string, token: string): Promise<DashboardClient> {
  const answer = await formPost(`${base}/dashboard/sign-in`, { token });
  if (answer.status !== 303) throw new Error(`sign-in answered ${answer.status}`);
  const cookie = (answer.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const client: DashboardClient = {
    base,
    cookie,
    get: (path) => fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' }),
    async csrf() {
      const text = await (await client.get('/dashboard')).text();
      const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
      if (!token) throw new Error('no CSRF token on the overview page');
      return token;
    },
    post: (path, fields, headers = {}) => formPost(`${base}${path}`, fields, { cookie, ...headers }),
  };
  return client;
}

/** `data-metric` figures of each `data-campaign` row of the overview's HTML. */
export function overviewFigures(pageHtml: string): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const row of pageHtml.matchAll(/<tr data-campaign="([^"]*)">([\s\S]*?)<\/tr>/g)) {
    const figures: Record<string, number> = {};
    for (const m of (row[2] ?? '').matchAll(/data-metric="([^"]+)">(\d+)</g)) figures[m[1] as string] = Number(m[2]);
    out[unescape(row[1] ?? '')] = figures;
  }
  return out;
}

function unescape(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
