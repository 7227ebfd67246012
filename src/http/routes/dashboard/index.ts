/**
 * `/dashboard`: the operators' pages, on when `REELAY_ADMIN_TOKEN` is set.
 * Server-rendered HTML, no scripts (a strict Content-Security-Policy says
 * so), one served stylesheet. Sign-in with the admin token opens a session
 * kept in the store (an HttpOnly, SameSite=Strict cookie on /dashboard);
 * every action is a form POST that must come from the dashboard's own
 * origin and carry the session's CSRF token, after a confirmation page.
 */
import fastifyCookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderActionNamed, retryFailedOfCampaign, type RenderAction } from '../../../app/dashboard-actions.js';
import { campaignOverview } from '../../../app/dashboard-overview.js';
import { listRenderPage } from '../../../app/dashboard-renders.js';
import { closeSession, csrfMatches, findSession, openSession, SESSION_TTL_MS, type DashboardSession } from '../../../app/dashboard-sessions.js';
import { previewRender } from '../../../app/preview-render.js';
import { queueHealth } from '../../../app/queue-health.js';
import { showRender } from '../../../app/show-render.js';
import { sameSecret } from '../../../core/same-secret.js';
import type { EngineContext } from '../../../engine/context.js';
import { html } from './html.js';
import { formFields, parseListQuery, renderId } from './input.js';
import { errorBox, page, type Section } from './layout.js';
import { fromOwnOrigin } from './origin-check.js';
import { overviewBody } from './overview-view.js';
import { confirmBody, confirmRenderAction, detailBody, listBody } from './renders-view.js';
import { SignInLimiter } from './sign-in-limiter.js';
import { STYLESHEET } from './stylesheet.js';
import { previewBody, queuesBody, signInBody } from './tools-view.js';

export const SESSION_COOKIE = 'reelay_session';
const COOKIE_PATH = '/dashboard';

export const DASHBOARD_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; media-src 'self' https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface DashboardOptions {
  adminToken: string;
  /** Where the dry run says the HeyGen request would go. */
  heygenApiBase: string;
  /** How long a sign-in lasts (default 12 hours). */
  sessionTtlMs?: number;
  limiter?: SignInLimiter;
}

/** The action and render an action's path names (`/renders/:id/:action`), each undefined when unknown. */
function actionTarget(request: FastifyRequest): { action: RenderAction | undefined; id: number | undefined } {
  const params = request.params as { id: string; action: string };
  return { action: renderActionNamed(params.action), id: renderId(params.id) };
}

export async function registerDashboardRoutes(app: FastifyInstance, ctx: EngineContext, opts: DashboardOptions): Promise<void> {
  const limiter = opts.limiter ?? new SignInLimiter(ctx.clock);
  const ttlMs = opts.sessionTtlMs ?? SESSION_TTL_MS;

  await app.register(
    async (d) => {
      await d.register(fastifyCookie);
      d.addHook('onSend', async (_request, reply, payload) => {
        reply.header('content-security-policy', DASHBOARD_CSP);
        reply.header('x-content-type-options', 'nosniff');
        reply.header('x-frame-options', 'DENY');
        // Not `no-referrer`: with it, browsers send `Origin: null` on form posts, which the origin check refuses.
        reply.header('referrer-policy', 'same-origin');
        reply.header('cache-control', 'no-store');
        return payload;
      });

      const send = (reply: FastifyReply, status: number, title: string, section: Section, body: ReturnType<typeof html>, session?: DashboardSession) =>
        reply
          .code(status)
          .type('text/html; charset=utf-8')
          .send(page({ title, section, body, ...(session ? { csrfToken: session.csrfToken } : {}) }));

      const sessionOf = (request: FastifyRequest) => findSession(ctx.store, request.cookies[SESSION_COOKIE], ctx.clock.now());

      /** A page's session, or a redirect to sign-in (undefined: the reply is sent). */
      async function viewer(request: FastifyRequest, reply: FastifyReply): Promise<DashboardSession | undefined> {
        const session = await sessionOf(request);
        if (!session) {
          await reply.redirect('/dashboard/sign-in', 303);
          return undefined;
        }
        return session;
      }

      /**
       * An action's guard: from our own origin, signed in, with the session's
       * CSRF token. Anything else is refused (403, or 401 when not signed in)
       * before anything changes.
       */
      async function actor(request: FastifyRequest, reply: FastifyReply): Promise<DashboardSession | undefined> {
        if (!fromOwnOrigin(request.headers, ctx.publicUrl)) {
          await send(reply, 403, 'Refused', 'overview', errorBox('This form was sent from another site: nothing was done.'));
          return undefined;
        }
        const session = await sessionOf(request);
        if (!session) {
          await send(reply, 401, 'Signed out', 'sign-in', html`${errorBox('Your session has ended: nothing was done.')}<p><a href="/dashboard/sign-in">Sign in again</a></p>`);
          return undefined;
        }
        if (!csrfMatches(session, formFields(request.headers['content-type'], request.body).get('_csrf') ?? undefined)) {
          await send(reply, 403, 'Refused', 'overview', errorBox('This form is stale or was not sent from the dashboard: nothing was done. Reload the page and try again.'), session);
          return undefined;
        }
        return session;
      }

      const secureCookie = (request: FastifyRequest) =>
        request.protocol === 'https' || (ctx.publicUrl?.startsWith('https:') === true && new URL(ctx.publicUrl).host === request.headers.host);

      d.get('/style.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(STYLESHEET));

      d.get('/sign-in', async (request, reply) => {
        if (await sessionOf(request)) return reply.redirect('/dashboard', 303);
        return send(reply, 200, 'Sign in', 'sign-in', signInBody(undefined));
      });

      d.post('/sign-in', async (request, reply) => {
        if (!fromOwnOrigin(request.headers, ctx.publicUrl)) return send(reply, 403, 'Sign in', 'sign-in', signInBody('This form was sent from another site.'));
        if (!limiter.tryAttempt(request.ip)) {
          return send(reply.header('retry-after', '60'), 429, 'Sign in', 'sign-in', signInBody('Too many sign-in attempts: wait a minute and try again.'));
        }
        const token = formFields(request.headers['content-type'], request.body).get('token') ?? '';
        if (!sameSecret(token, opts.adminToken)) return send(reply, 401, 'Sign in', 'sign-in', signInBody('That is not the admin token.'));
        const { cookieValue } = await openSession(ctx.store, ctx.clock.now(), { ttlMs });
        reply.setCookie(SESSION_COOKIE, cookieValue, {
          path: COOKIE_PATH,
          httpOnly: true,
          sameSite: 'strict',
          secure: secureCookie(request),
          maxAge: Math.floor(ttlMs / 1000),
        });
        return reply.redirect('/dashboard', 303);
      });

      d.post('/sign-out', async (request, reply) => {
        if (!(await actor(request, reply))) return reply;
        await closeSession(ctx.store, request.cookies[SESSION_COOKIE] ?? '', ctx.clock.now());
        reply.clearCookie(SESSION_COOKIE, { path: COOKIE_PATH });
        return reply.redirect('/dashboard/sign-in', 303);
      });

      d.get('/', async (request, reply) => {
        const session = await viewer(request, reply);
        if (!session) return reply;
        const q = request.query as Record<string, unknown>;
        const flash =
          typeof q.retried === 'string' && /^\d{1,9}$/.test(q.retried)
            ? `${q.retried} failed renders re-queued${typeof q.refused === 'string' && /^[1-9]\d{0,8}$/.test(q.refused) ? `; ${q.refused} had changed meanwhile` : ''}.`
            : undefined;
        const overview = await campaignOverview(ctx.store, ctx.config, ctx.clock.now());
        return send(reply, 200, 'Overview', 'overview', overviewBody(overview, flash), session);
      });

      d.get('/renders', async (request, reply) => {
        const session = await viewer(request, reply);
        if (!session) return reply;
        const input = parseListQuery(request.query);
        if (!input.ok) return send(reply, 400, 'Renders', 'renders', html`${errorBox(input.message)}<p><a href="/dashboard/renders">All renders</a></p>`, session);
        const list = await listRenderPage(ctx.store, input.filter);
        return send(reply, 200, 'Renders', 'renders', listBody(list, input.form, ctx.config.campaigns.map((c) => c.id)), session);
      });

      d.get('/renders/:id', async (request, reply) => {
        const session = await viewer(request, reply);
        if (!session) return reply;
        const id = renderId((request.params as { id: string }).id);
        const detail = id === undefined ? undefined : await showRender(ctx.store, id);
        if (!detail) return send(reply, 404, 'No such render', 'renders', html`<p><a href="/dashboard/renders">All renders</a></p>`, session);
        const done = renderActionNamed(String((request.query as Record<string, unknown>).done ?? ''));
        return send(reply, 200, `Render #${detail.render.id}`, 'renders', detailBody(detail, done ? `${done.label}: done.` : undefined), session);
      });

      d.get('/renders/:id/:action', async (request, reply) => {
        const session = await viewer(request, reply);
        if (!session) return reply;
        const { action, id } = actionTarget(request);
        const detail = id === undefined || !action ? undefined : await showRender(ctx.store, id);
        if (!action || !detail) return send(reply, 404, 'Not found', 'renders', html`<p><a href="/dashboard/renders">All renders</a></p>`, session);
        const back = html`<p><a href="/dashboard/renders/${detail.render.id}">Back to render #${detail.render.id}</a></p>`;
        if (!action.allowedStates.includes(detail.render.state)) {
          return send(reply, 409, `${action.label} render #${detail.render.id}`, 'renders', html`${errorBox(`A ${detail.render.state} render cannot take this action.`)}${back}`, session);
        }
        return send(reply, 200, `${action.label} render #${detail.render.id}?`, 'renders', confirmRenderAction(action, detail.render.id, session.csrfToken), session);
      });

      d.post('/renders/:id/:action', async (request, reply) => {
        const session = await actor(request, reply);
        if (!session) return reply;
        const { action, id } = actionTarget(request);
        if (!action || id === undefined) return send(reply, 404, 'Not found', 'renders', html``, session);
        const form = formFields(request.headers['content-type'], request.body);
        const input: Record<string, string> = {};
        for (const field of action.fields ?? []) {
          const value = (form.get(field.name) ?? '').trim();
          if (value === '' || value.length > 500) return send(reply, 400, `${action.label} render #${id}`, 'renders', errorBox(`${field.label}: give one (at most 500 characters); nothing was done.`), session);
          input[field.name] = value;
        }
        const result = await action.run(ctx, id, input);
        if (!result.ok) return send(reply, 409, `${action.label} render #${id}`, 'renders', html`${errorBox(result.reason)}<p><a href="/dashboard/renders/${id}">Back to render #${id}</a></p>`, session);
        return reply.redirect(`/dashboard/renders/${id}?done=${action.name}`, 303);
      });

      d.get('/campaigns/:id/retry-failed', async (request, reply) => {
        const session = await viewer(request, reply);
        if (!session) return reply;
        const campaign = (request.params as { id: string }).id;
        const path = `/dashboard/campaigns/${encodeURIComponent(campaign)}/retry-failed`;
        const body = confirmBody(`Re-queue every failed render of campaign ${campaign} from the start? New HeyGen renders may be created and billed.`, path, 'Retry all failed', '/dashboard', session.csrfToken);
        return send(reply, 200, `Retry failed renders of ${campaign}?`, 'overview', body, session);
      });

      d.post('/campaigns/:id/retry-failed', async (request, reply) => {
        const session = await actor(request, reply);
        if (!session) return reply;
        const result = await retryFailedOfCampaign(ctx, (request.params as { id: string }).id);
        return reply.redirect(`/dashboard?retried=${result.retried}${result.refused > 0 ? `&refused=${result.refused}` : ''}`, 303);
      });

      d.get('/queues', async (request, reply) => {
        const session = await viewer(request, reply);
        if (!session) return reply;
        return send(reply, 200, 'Queue health', 'queues', queuesBody(await queueHealth(ctx)), session);
      });

      d.get('/preview', async (request, reply) => {
        const session = await viewer(request, reply);
        if (!session) return reply;
        const q = request.query as Record<string, unknown>;
        const campaign = typeof q.campaign === 'string' ? q.campaign : '';
        const objectId = typeof q.objectId === 'string' ? q.objectId.trim() : '';
        const outcome = campaign !== '' && objectId !== '' ? await previewRender(ctx, opts.heygenApiBase, campaign, objectId) : undefined;
        const ids = ctx.config.campaigns.map((c) => c.id);
        return send(reply, outcome?.ok === false ? 400 : 200, 'Dry run', 'preview', previewBody(ids, { campaign, objectId }, outcome), session);
      });
    },
    { prefix: '/dashboard' },
  );
}
