import { createHmac } from 'node:crypto';
import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_MINUTES, loggedInUser, SESSION_COOKIE } from '../../src/server/security/session.js';
import { SESSION_ENDED_MESSAGE } from '../../src/server/security/session-ended.js';
import { Session, startServerFixture, type ServerFixture } from './server-fixture.js';

const minute = 60_000;
const requestWith = (session: Record<string, unknown>) => ({ session }) as unknown as Request;

describe('an idle admin session', () => {
  it('ends IDLE_MINUTES after the last page or form, inside its 8 hours', () => {
    const now = Date.now();
    expect(loggedInUser(requestWith({ user: 'manager', since: now - 3 * 60 * minute, seen: now - (IDLE_MINUTES - 1) * minute }), now)).toBe('manager');
    const idle = requestWith({ user: 'manager', since: now - 3 * 60 * minute, seen: now - (IDLE_MINUTES + 1) * minute });
    expect(loggedInUser(idle, now)).toBeNull();
    expect(idle.session).toBeNull();
    // Made before sessions carried `seen`: idle since its login.
    expect(loggedInUser(requestWith({ user: 'manager', since: now - (IDLE_MINUTES + 1) * minute }), now)).toBeNull();
  });
});

/**
 * The real server, with the session cookie as the browser holds it after a login, its `seen`
 * set back and signed again with the fixture's LEADLIFT_SESSION_SECRET (as cookie-session signs:
 * keygrip's HMAC-SHA1 of "name=value", base64url), so no test waits an hour.
 */
const SECRET = 'a-test-session-secret-that-is-long-enough-0123456789';
let fx: ServerFixture;
let session: Record<string, unknown>;

beforeAll(async () => {
  fx = await startServerFixture();
  const s = new Session(fx.url);
  const login = await s.login();
  const value = login.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!.split(';')[0].slice(SESSION_COOKIE.length + 1);
  session = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

function cookieFor(s: Record<string, unknown>): string {
  const value = Buffer.from(JSON.stringify(s)).toString('base64');
  const sig = createHmac('sha1', SECRET).update(`${SESSION_COOKIE}=${value}`).digest('base64').replace(/\//g, '_').replace(/\+/g, '-').replace(/=/g, '');
  return `${SESSION_COOKIE}=${value}; ${SESSION_COOKIE}.sig=${sig}`;
}

const seenIn = (res: Response) => {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  return line ? (JSON.parse(Buffer.from(line.split(';')[0].slice(SESSION_COOKIE.length + 1), 'base64').toString('utf8')).seen as number | undefined) : undefined;
};

describe('the server', () => {
  it('takes the login to its idle limit, and refuses it after, as a page and as a form', async () => {
    const now = Date.now();
    expect(session.seen).toBeTypeOf('number');
    const idle = cookieFor({ ...session, seen: now - (IDLE_MINUTES + 1) * minute });
    const page = await fetch(`${fx.url}/admin`, { headers: { cookie: idle }, redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fadmin');
    const form = await fetch(`${fx.url}/admin/model/retrain`, { method: 'POST', headers: { cookie: idle, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${session.csrf}&crm=hubspot`, redirect: 'manual' });
    expect(form.status).toBe(401);
    expect(await form.text()).toContain(`${IDLE_MINUTES} minutes without a page opened`);
    expect(SESSION_ENDED_MESSAGE).toContain(`${IDLE_MINUTES} minutes`);
  });

  it('moves the idle clock on for a page opened, not for an open page\'s status polls', async () => {
    const before = Date.now() - 30 * minute;
    const active = cookieFor({ ...session, seen: before });
    const poll = await fetch(`${fx.url}/admin/model/activity.json?crm=hubspot`, { headers: { cookie: active, accept: 'application/json' }, redirect: 'manual' });
    expect(poll.status).toBe(200);
    expect(seenIn(poll)).toBeUndefined();
    const page = await fetch(`${fx.url}/admin`, { headers: { cookie: active }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(seenIn(page)).toBeGreaterThan(before + 29 * minute);
  });
});
