import { describe, expect, it } from 'vitest';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import { SESSION_ENDED_MESSAGE } from '../../src/server/security/session-ended.js';
import { signIn, useBrowserFixture } from './browser-fixture.js';
import { ADMIN } from './server-fixture.js';

/**
 * A manager edits the tiers while the session ends under the page (here: a logout in another tab;
 * the 8-hour limit does the same). The preview and the save must say the session ended and that
 * nothing was saved, on a leadlift page leading back to the login: not a bare "CSRF check failed"
 * line, nor a raw JSON body.
 */
const { fx, context, page } = useBrowserFixture({ signIn: true });

async function logOutInAnotherTab(): Promise<void> {
  const other = await context().newPage();
  await other.goto(`${fx().url}/admin`);
  await Promise.all([other.waitForURL(`${fx().url}/login`), other.click('form.logout button[type="submit"]')]);
  await other.close();
}

describe('a session that ended while a page was open', () => {
  it('the tier preview and the save say so, save nothing, and lead back to the login and the tiers page', async () => {
    await page().goto(`${fx().url}/admin`);
    const before = await fx().store.settings.get(TIERS_SETTING);
    await logOutInAnotherTab();

    await page().fill('#tier-0-min', '77');
    await expect.poll(() => page().textContent('#preview-status')).toBe(SESSION_ENDED_MESSAGE);

    const [response] = await Promise.all([page().waitForResponse((r) => r.url() === `${fx().url}/admin/tiers`), page().click('button:has-text("Save tiers")')]);
    expect(response.status()).toBe(401);
    expect(await page().textContent('h1')).toBe('Your session has ended');
    expect(await page().textContent('main')).toContain('nothing was saved');
    expect(await fx().store.settings.get(TIERS_SETTING)).toEqual(before);

    await Promise.all([page().waitForURL(/\/login\?next=%2Fadmin$/), page().click('a:has-text("Log in again")')]);
    await page().fill('input[name="user"]', ADMIN.user);
    await page().fill('input[name="password"]', ADMIN.password);
    await Promise.all([page().waitForURL(`${fx().url}/admin`), page().click('button[type="submit"]')]);
  });

  it('"Retrain now" says so too, and starts nothing', async () => {
    await page().goto(`${fx().url}/admin/model`);
    if (page().url().includes('/login')) await signIn(page(), fx());
    await page().goto(`${fx().url}/admin/model`);
    await logOutInAnotherTab();
    const [response] = await Promise.all([page().waitForResponse((r) => r.url() === `${fx().url}/admin/model/retrain`), page().click('button:has-text("Retrain now")')]);
    expect(response.status()).toBe(401);
    expect(await page().textContent('main')).toContain(SESSION_ENDED_MESSAGE);
    expect(await page().getAttribute('a:has-text("Log in again")', 'href')).toBe('/login?next=%2Fadmin%2Fmodel');
    expect(fx().deps.loop.activity('hubspot').state).not.toBe('running');
  });
});
