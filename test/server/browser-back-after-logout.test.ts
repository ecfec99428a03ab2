import { describe, expect, it } from 'vitest';
import { signIn, useBrowserFixture } from './browser-fixture.js';
import { Session } from './server-fixture.js';

/**
 * A manager logs out on a shared computer and leaves; the next person presses Back. Debian's
 * chromium (browser-fixture.ts) against the real server: the admin pages must not come back out
 * of the browser's cache, only from the server, which sends that person to the login.
 */
const { fx, page } = useBrowserFixture();

async function logOut(): Promise<void> {
  await Promise.all([page().waitForURL(`${fx().url}/login`), page().click('form.logout button[type="submit"]')]);
}

describe('Back after logging out', () => {
  for (const path of ['/admin', '/admin/model', '/install']) {
    it(`shows the login, not ${path} from the cache`, async () => {
      await signIn(page(), fx());
      await page().goto(`${fx().url}${path}`);
      expect(await page().locator('form.logout').count()).toBe(1);
      await logOut();
      await page().goBack();
      await page().waitForLoadState('load');
      expect(new URL(page().url()).pathname).toBe('/login');
      expect(await page().locator('form.logout').count()).toBe(0);
      expect(await page().locator('input[name="password"]').count()).toBe(1);
    });
  }
});

describe('what the server tells caches', () => {
  it('marks every page and JSON answer behind the login, and the detailed /readyz, no-store', async () => {
    const s = new Session(fx().url);
    expect((await s.login()).status).toBe(303);
    for (const path of ['/admin', '/admin/model', '/install', '/install/status.json', '/readyz']) {
      const res = await s.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toMatch(/\bno-store\b/);
    }
  });

  it('leaves the static files cacheable', async () => {
    const res = await fetch(`${fx().url}/static/app.css`);
    expect(res.headers.get('cache-control')).toMatch(/max-age=3600/);
  });
});
