/**
 * The dashboard's pure defences: HTML escaping of hostile CRM text, safe
 * link targets, the origin check of actions, the sign-in limiter, the
 * constant-time secret compare; and its sessions against a real SQLite
 * store (opened, found, expired, closed, CSRF token matched).
 */
import { describe, expect, it } from 'vitest';
import { csrfMatches, closeSession, findSession, openSession } from '../../src/app/dashboard-sessions.js';
import { ManualClock } from '../../src/core/clock.js';
import { sameSecret } from '../../src/core/same-secret.js';
import { escapeHtml, externalUrl, html, withQuery } from '../../src/http/routes/dashboard/html.js';
import { fromOwnOrigin } from '../../src/http/routes/dashboard/origin-check.js';
import { SignInLimiter } from '../../src/http/routes/dashboard/sign-in-limiter.js';
import { confirmRenderAction } from '../../src/http/routes/dashboard/renders-view.js';
import { actionsFor, renderActionNamed, renderActions, type RenderAction } from '../../src/app/dashboard-actions.js';
import { useMigratedStore } from '../helpers/stores.js';

describe('html', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const hostile = `"><script>alert('x')</script>&`;
    expect(html`<td title="${hostile}">${hostile}</td>`.text).toBe(
      '<td title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</td>',
    );
    expect(escapeHtml('a & b')).toBe('a &amp; b');
  });

  it('passes its own fragments through once, joins lists and drops empty values', () => {
    const items = ['<a>', 'b'].map((i) => html`<li>${i}</li>`);
    expect(html`<ul>${items}</ul>${undefined}${null}${false}${0}`.text).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>0');
    // A string that looks like markup is still text.
    expect(html`${'<b>x</b>'}`.text).toBe('&lt;b&gt;x&lt;/b&gt;');
  });

  it('follows only http(s) links from outside', () => {
    expect(externalUrl('javascript:alert(1)')).toBeUndefined();
    expect(externalUrl('data:text/html,<b>')).toBeUndefined();
    expect(externalUrl('not a url')).toBeUndefined();
    expect(externalUrl(null)).toBeUndefined();
    expect(externalUrl('https://cdn.example/v.mp4?a=1')).toBe('https://cdn.example/v.mp4?a=1');
  });

  it('keeps filters in links, leaving out the empty ones', () => {
    expect(withQuery('/dashboard/renders', { campaign: 'a&b', state: '', before: 7 })).toBe('/dashboard/renders?campaign=a%26b&before=7');
    expect(withQuery('/x', { a: undefined })).toBe('/x');
  });
});

describe('origin check', () => {
  const host = '127.0.0.1:3000';
  it('accepts the dashboard’s own pages and clients that say nothing', () => {
    expect(fromOwnOrigin({ host, origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' }, undefined)).toBe(true);
    expect(fromOwnOrigin({ host }, undefined)).toBe(true);
    // Behind a TLS proxy the request is plain http but the browser's origin is the public one.
    expect(fromOwnOrigin({ host: 'internal:3000', origin: 'https://reelay.example.com' }, 'https://reelay.example.com')).toBe(true);
  });

  it('refuses other origins, other sites and opaque origins', () => {
    expect(fromOwnOrigin({ host, origin: 'http://127.0.0.1:4000' }, undefined)).toBe(false);
    expect(fromOwnOrigin({ host, origin: 'https://evil.example' }, 'https://reelay.example.com')).toBe(false);
    expect(fromOwnOrigin({ host, 'sec-fetch-site': 'same-site' }, undefined)).toBe(false);
    expect(fromOwnOrigin({ host, 'sec-fetch-site': 'cross-site' }, undefined)).toBe(false);
    expect(fromOwnOrigin({ host, origin: 'null' }, undefined)).toBe(false);
    expect(fromOwnOrigin({ host, origin: ['http://127.0.0.1:3000', 'x'] }, undefined)).toBe(false);
  });
});

describe('sign-in limiter', () => {
  it('allows a few attempts per address per window, then refuses until the window has passed', () => {
    const clock = new ManualClock();
    const limiter = new SignInLimiter(clock, { perAddress: 3, overall: 100, windowMs: 60_000, addresses: 100 });
    expect([1, 2, 3, 4].map(() => limiter.tryAttempt('a'))).toEqual([true, true, true, false]);
    expect(limiter.tryAttempt('b')).toBe(true);
    clock.advance(60_001);
    expect(limiter.tryAttempt('a')).toBe(true);
  });

  it('caps attempts from everyone together, and forgets the oldest addresses first', () => {
    const clock = new ManualClock();
    const limiter = new SignInLimiter(clock, { perAddress: 10, overall: 3, windowMs: 1_000, addresses: 2 });
    expect(['a', 'b', 'c', 'd'].map((x) => limiter.tryAttempt(x))).toEqual([true, true, true, false]);
  });
});

describe('sameSecret', () => {
  it('compares whole secrets of any length', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('ab', 'abc')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
  });
});

describe('dashboard sessions', () => {
  const db = useMigratedStore('sqlite');

  it('finds a session by its cookie until it expires or is closed, and matches only its own CSRF token', async () => {
    const now = Date.UTC(2026, 0, 1);
    const { cookieValue, session } = await openSession(db.store, now, { ttlMs: 1_000 });
    const found = await findSession(db.store, cookieValue, now + 999);
    expect(found).toEqual(session);
    expect(csrfMatches(session, session.csrfToken)).toBe(true);
    expect(csrfMatches(session, `${session.csrfToken}x`)).toBe(false);
    expect(csrfMatches(session, undefined)).toBe(false);
    expect(await findSession(db.store, cookieValue, now + 1_000)).toBeUndefined();
    expect(await findSession(db.store, undefined, now)).toBeUndefined();
    expect(await findSession(db.store, 'guess', now)).toBeUndefined();

    const second = await openSession(db.store, now, { ttlMs: 10_000 });
    // The store keeps a hash, never the cookie's value.
    const rows = await db.store.db.selectFrom('dashboard_sessions').selectAll().execute();
    expect(rows.map((r) => r.id)).not.toContain(second.cookieValue);
    await closeSession(db.store, second.cookieValue, now + 2_000);
    expect(await findSession(db.store, second.cookieValue, now + 2_000)).toBeUndefined();
    // Closing also cleared the expired first session.
    expect(await db.store.db.selectFrom('dashboard_sessions').selectAll().execute()).toEqual([]);
  });
});

describe('render actions', () => {
  it('are offered only in the states they apply to', () => {
    expect(actionsFor('failed').map((a) => a.name)).toEqual(['retry']);
    expect(actionsFor('rendering').map((a) => a.name)).toEqual(['cancel']);
    expect(actionsFor('completed')).toEqual([]);
    expect(actionsFor('awaiting_review').map((a) => a.name)).toEqual(['cancel', 'approve', 'reject']);
    expect(renderActionNamed('reject')?.fields?.map((f) => f.name)).toEqual(['reason']);
    expect(renderActions.map((a) => a.name)).toEqual(['retry', 'cancel', 'approve', 'reject']);
  });

  it('confirm with a form that carries the CSRF token and asks for each field an action needs', () => {
    const withReason: RenderAction = {
      name: 'reject',
      label: 'Reject',
      confirm: 'Reject <this> render?',
      allowedStates: ['rendering'],
      fields: [{ name: 'reason', label: 'Reason' }],
      run: async () => ({ ok: true, state: 'failed' }),
    };
    const form = confirmRenderAction(withReason, 7, 'tok"en').text;
    expect(form).toContain('action="/dashboard/renders/7/reject"');
    expect(form).toContain('name="_csrf" value="tok&quot;en"');
    expect(form).toContain('<input name="reason" required');
    expect(form).toContain('Reject &lt;this&gt; render?');
  });
});
