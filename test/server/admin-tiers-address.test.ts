import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, startServerFixture, type ServerFixture } from './server-fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startServerFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe('GET /admin/tiers', () => {
  it('leads to the tier form on /admin (the address a refused save leaves in the browser, and the one notes name)', async () => {
    const s = new Session(fx.url);
    await s.login();
    const res = await s.request('/admin/tiers');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const page = await (await s.request(res.headers.get('location')!)).text();
    expect(page).toContain('id="tier-form"');
  });

  it('still asks a signed-out visitor to log in first', async () => {
    const res = await new Session(fx.url).request('/admin/tiers');
    expect(res.status).not.toBe(404);
    expect(res.headers.get('location') ?? '').toContain('/login');
  });
});
