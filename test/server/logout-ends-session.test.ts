import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import { Session, startServerFixture, type ServerFixture } from './server-fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startServerFixture();
});
afterAll(async () => {
  await fx?.close();
});

/** The session cookies a login set, as a header: what someone copying the browser's cookie jar would hold. */
function cookieHeader(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
}

const tiers = { name: ['Hot', 'Cold', ''], mode: ['score', 'score', 'score'], min: ['70', '0', ''], perDay: ['', '', ''] };

describe('logging out', () => {
  it('ends the session on the server: a copy of the cookie made before the logout is refused', async () => {
    const s = new Session(fx.url);
    const login = await s.login();
    expect(login.status).toBe(303);
    const copied = cookieHeader(login);
    const csrf = await s.csrf('/admin');
    const withCopy = (path: string, init: RequestInit = {}) => fetch(`${fx.url}${path}`, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: copied } });

    expect((await withCopy('/admin')).status).toBe(200);
    const out = await s.request('/logout', { form: { _csrf: csrf } });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');

    const page = await withCopy('/admin');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/login/);
    const before = await fx.store.settings.get(TIERS_SETTING);
    const save = await withCopy('/admin/tiers', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([['_csrf', csrf], ...tiers.name.flatMap((n, i) => [['name', n], ['mode', tiers.mode[i]], ['min', tiers.min[i]], ['perDay', tiers.perDay[i]]])]).toString(),
    });
    // Refused before the route: the CSRF token of an ended session is no use either.
    expect([401, 403]).toContain(save.status);
    expect(await fx.store.settings.get(TIERS_SETTING)).toEqual(before);
    // The login page still works for the refused cookie, and a new login works.
    expect((await withCopy('/login')).status).toBe(200);
    expect((await s.login()).status).toBe(303);
    expect((await s.request('/admin')).status).toBe(200);
  });

  it('ends only the session that logged out, not another browser of the same user', async () => {
    const a = new Session(fx.url);
    const b = new Session(fx.url);
    await a.login();
    await b.login();
    await a.request('/logout', { form: { _csrf: await a.csrf('/admin') } });
    expect((await a.request('/admin')).status).toBe(303);
    expect((await b.request('/admin')).status).toBe(200);
  });
});
