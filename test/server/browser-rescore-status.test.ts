import { afterEach, describe, expect, it } from 'vitest';
import { cycleLockName } from '../../src/jobs/cycle.js';
import { signIn, useBrowserFixture } from './browser-fixture.js';

/**
 * A manager saves new thresholds and wants to know when the leads are in their new tiers: the
 * tiers page follows the save's rescore to its end, in the model page's words. While work runs,
 * "Retrain now" waits (it would only queue behind it), and a login that ends meanwhile is said,
 * not "undefined". A cycle held by another process (the schedule's, as the lock says) keeps the
 * work running for as long as the test needs, without timing.
 */
const LOCK = cycleLockName('hubspot');
const SCHEDULED = 'scheduler-host:777:scheduled-cycle';

const { fx, context, page } = useBrowserFixture({ signIn: true });
afterEach(async () => {
  await fx().store.runLock.release(LOCK, SCHEDULED);
  await fx().deps.loop.idle();
});

async function signedIn(): Promise<void> {
  await page().goto(`${fx().url}/admin`);
  if (page().url().includes('/login')) await signIn(page(), fx());
}

describe('background work on the admin pages', () => {
  it('the tiers page follows the rescore a save started, through a cycle it waits for, to its end', async () => {
    await signedIn();
    expect(await page().locator('#tier-activity').count()).toBe(0);
    expect(await fx().store.runLock.acquire(LOCK, SCHEDULED, 60_000)).toBe(true);
    await page().fill('#tier-0-min', String(Number(await page().inputValue('#tier-0-min')) + 1));
    await Promise.all([page().waitForURL(`${fx().url}/admin`), page().click('button:has-text("Save tiers")')]);
    expect(await page().locator('.notice').textContent()).toContain('Its leads are being rescored into the new tiers now.');
    expect(await page().getAttribute('#tier-conversion-link a', 'href')).toBe('/admin/model#recent-conversion');
    const status = page().locator('#activity-hubspot');
    expect(await page().locator('[data-activity-crm="hubspot"] strong').textContent()).toBe('HubSpot');
    await expect.poll(() => status.textContent()).toMatch(/^Cycle running: A cycle is running \(since \d\d:\d\d UTC/);

    await fx().store.runLock.release(LOCK, SCHEDULED);
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toMatch(/^Finished \d{4}-\d\d-\d\d \d\d:\d\d UTC: Rescored: .* written to the CRM \(\d+\.\d s\)\.$/);
  });

  it('"Retrain now" waits while work runs and is back when it ends; the poll says a login that ended, not "undefined"', async () => {
    await signedIn();
    expect(await fx().store.runLock.acquire(LOCK, SCHEDULED, 60_000)).toBe(true);
    await page().goto(`${fx().url}/admin/model`);
    const button = page().locator('button:has-text("Retrain now")');
    expect(await button.isDisabled()).toBe(true);
    expect(await page().textContent(`#${await button.getAttribute('aria-describedby')}`)).toBe('Available once this finishes.');

    // Released: the page's poll sees the end and reloads, with the button back.
    await fx().store.runLock.release(LOCK, SCHEDULED);
    await expect.poll(() => button.isDisabled(), { timeout: 20_000 }).toBe(false);
    expect(await page().locator('#activity').textContent()).not.toContain('Cycle running');

    // Running again, then the login ends in another tab.
    expect(await fx().store.runLock.acquire(LOCK, SCHEDULED, 60_000)).toBe(true);
    await page().goto(`${fx().url}/admin/model`);
    const seen: string[] = [];
    await page().exposeFunction('seenStatus', (t: string) => seen.push(t));
    await page().evaluate(() => {
      const el = document.getElementById('activity')!;
      new MutationObserver(() => (window as unknown as { seenStatus(t: string): void }).seenStatus(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    });
    const other = await context().newPage();
    await other.goto(`${fx().url}/admin`);
    await Promise.all([other.waitForURL(`${fx().url}/login`), other.click('form.logout button[type="submit"]')]);
    await other.close();
    await expect.poll(() => page().locator('#activity').textContent(), { timeout: 10_000 }).toBe('Log in to leadlift first.');
    expect(seen.join('\n')).not.toContain('undefined');
  });
});
