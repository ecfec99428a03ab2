/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { cycleLockName } from '../../src/jobs/cycle.js';
import { auditPage, describeViolations } from './axe-audit.js';
import { signIn, useBrowserFixture } from './browser-fixture.js';
import { focusStops } from './focus-rings.js';

/**
 * Every admin page, in the states a manager sees them, passes axe-core's WCAG 2.1 A/AA audit in
 * Debian's chromium, at a desktop width and at a phone's 375 px (the narrow layout reflows the
 * header and the tiers table, so it is audited on its own). The data is the demo's, after a real
 * cycle against the sandbox (server-fixture.ts).
 */
const { fx, context, page } = useBrowserFixture();

const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 375, height: 800 };

/** Audits the page as it stands, at both widths, and fails with every violation found at either. */
async function expectNoViolations(where: string): Promise<void> {
  const found: string[] = [];
  for (const viewport of [WIDE, NARROW]) {
    await page().setViewportSize(viewport);
    // Collapsed parts (the charts' data tables) are audited open, as a manager opens them.
    await page().evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    const violations = await auditPage(page());
    if (violations.length > 0) found.push(describeViolations(`${where} at ${viewport.width} px`, violations));
  }
  await page().setViewportSize(WIDE);
  expect(found, found.join('\n')).toEqual([]);
}

async function goto(path: string): Promise<void> {
  await page().goto(`${fx().url}${path}`);
}

/** Signs in unless this browser has a session, so each test also runs alone (-t). */
async function signedIn(): Promise<void> {
  await goto('/admin');
  if (new URL(page().url()).pathname === '/login') await signIn(page(), fx());
}

const saveTiers = () => Promise.all([page().waitForResponse((r) => r.url() === `${fx().url}/admin/tiers` && r.request().method() === 'POST'), page().click('button:has-text("Save tiers")')]);

describe("the admin pages' accessibility: axe-core's WCAG 2.1 AA audit, and the focus rings it does not judge", () => {
  it('the login page, and the login page after a wrong password', async () => {
    await goto('/login');
    await expectNoViolations('login');
    await page().fill('input[name="user"]', 'manager@example.com');
    await page().fill('input[name="password"]', 'not the password at all');
    await Promise.all([page().waitForLoadState('load'), page().click('button[type="submit"]')]);
    expect(await page().locator('#login-error').count()).toBe(1);
    await expectNoViolations('login with an error');
  });

  it('a message page (not found), signed out and signed in', async () => {
    await goto('/no-such-page');
    expect(await page().textContent('h1')).toBe('Not found');
    await expectNoViolations('not found, signed out');
    await signIn(page(), fx());
    await goto('/admin/no-such-page');
    expect(await page().textContent('h1')).toBe('Not found');
    await expectNoViolations('not found, signed in');
  });

  it('the tiers page with the demo data, with live faults and capacity warnings, refused, and saved', async () => {
    await signedIn();
    expect(await page().textContent('h1')).toBe('Priority tiers');
    await expectNoViolations('tiers');

    // Live preview faults next to their fields, and a capacity that takes every lead: the page's script shows both.
    await page().fill('#tier-1-name', await page().inputValue('#tier-0-name'));
    await page().fill('#tier-2-min', '150');
    await page().waitForSelector('#tier-1-name-error:not([hidden])');
    await page().waitForSelector('#tier-2-min-error:not([hidden])');
    await page().selectOption('#tier-0-mode', 'capacity');
    await page().fill('#tier-0-perDay', '100000');
    await page().waitForSelector('#tier-warnings:not([hidden])');
    await expectNoViolations('tiers with live faults and warnings');

    // The server's answer to the refused save: the summary has focus.
    const [refused] = await saveTiers();
    expect(refused.status()).toBe(422);
    await page().waitForFunction(() => document.activeElement?.id === 'form-error');
    await expectNoViolations('tiers, save refused');

    // Faults fixed, the capacity kept: the save is held back until the confirm box is ticked.
    await goto('/admin');
    await page().selectOption('#tier-0-mode', 'capacity');
    await page().fill('#tier-0-perDay', '100000');
    const [held] = await saveTiers();
    expect(held.status()).toBe(422);
    expect(await page().locator('#tier-confirm').count()).toBe(1);
    await expectNoViolations('tiers, save held back for its warnings');

    // A good save: the notice, the rescore's status line and the change history.
    await goto('/admin');
    await page().fill('#tier-0-min', String(Number(await page().inputValue('#tier-0-min')) + 1));
    const [saved] = await saveTiers();
    expect(saved.status()).toBe(303);
    await page().waitForSelector('#tier-activity');
    await expectNoViolations('tiers, saved');
    await fx().deps.loop.idle();
  });

  it('the model page with the demo model, with warnings, and the rollback confirm page', async () => {
    await signedIn();
    await goto('/admin/model');
    await page().waitForFunction(() => !!document.querySelector('#roc-chart') && !!(window as unknown as { Chart?: { getChart(el: Element): unknown } }).Chart?.getChart(document.querySelector('#roc-chart')!));
    await expectNoViolations('model');

    // A weak model made active (as model-page.test.ts does): all four warnings show, and the demo model can be rolled back to.
    const first = (await fx().store.models.active('hubspot'))!;
    const tiers = [
      { tier: 'Hot', leads: 1351, conversionRate: 0.1436 },
      { tier: 'Warm', leads: 1977, conversionRate: 0.1553 },
      { tier: 'Cool', leads: 1977, conversionRate: 0.1123 },
      { tier: 'Cold', leads: 1285, conversionRate: 0.0895 },
    ];
    const curves = { ...(first.metrics.curves as object), calibration: Array.from({ length: 10 }, () => ({ predicted: 0.048, observed: 0.127, leads: 50 })) };
    await fx().store.models.save({ ...first, version: `${first.version}-weak`, createdAt: undefined, metrics: { ...first.metrics, auc: 0.569, ece: 0.079, positiveRateTest: 0.127, tiers, curves } });
    await fx().store.models.promote('hubspot', `${first.version}-weak`);
    await goto('/admin/model');
    expect(await page().locator('#model-warnings li').count()).toBeGreaterThanOrEqual(3);
    await expectNoViolations('model with warnings');

    await Promise.all([page().waitForURL(`${fx().url}/admin/model/rollback`), page().click(`#models tr:has(code:text-is("${first.version}")) button:has-text("Roll back to this")`)]);
    expect(await page().locator('#rollback-confirm').count()).toBe(1);
    await expectNoViolations('rollback confirm');
  });

  it('the Connections page', async () => {
    await signedIn();
    await goto('/install');
    expect(await page().textContent('h1')).toBe('Connections');
    await expectNoViolations('connections');
  });

  it('the model and Connections pages while work runs: the status lines, the waiting retrain, the progress bar', async () => {
    // A cycle held by another process (as browser-rescore-status.test.ts holds one) runs for as long as the audit takes.
    const [lock, holder] = [cycleLockName('hubspot'), 'scheduler-host:777:scheduled-cycle'];
    expect(await fx().store.runLock.acquire(lock, holder, 60_000)).toBe(true);
    try {
      await signedIn();
      await goto('/admin/model');
      await page().waitForSelector('#retrain-wait');
      await expectNoViolations('model, retrain waiting');
      await goto('/install');
      await page().waitForSelector('.crm-card[data-crm="hubspot"] [data-progress]:not([hidden])');
      await expectNoViolations('connections, work running');
    } finally {
      await fx().store.runLock.release(lock, holder);
      await goto('/login');
      await fx().deps.loop.idle();
    }
  });

  it.each([['/admin'], ['/admin/model']])('every Tab stop on %s shows a focus ring with 3:1 against what surrounds it', async (path) => {
    await signedIn();
    await goto(path);
    const stops = await focusStops(page());
    // The header, the page's own controls and the skip link: a walk that stopped early proves nothing.
    expect(stops.length).toBeGreaterThan(10);
    expect(stops.map((s) => s.element)).toEqual(expect.arrayContaining([expect.stringContaining('Skip to main content'), expect.stringContaining('Log out')]));
    const faint = stops.filter((s) => s.outline.style === 'none' || s.outline.width < 2 || s.contrast < 3);
    expect(faint, faint.map((s) => `${s.element}: ${s.outline.style} ${s.outline.width}px ${s.outline.color} on ${s.behind}, ${s.contrast}:1`).join('\n')).toEqual([]);
  });

  it('the session-ended page a save gets once the login has ended in another tab', async () => {
    await signedIn();
    const other = await context().newPage();
    await other.goto(`${fx().url}/admin`);
    await Promise.all([other.waitForURL(`${fx().url}/login`), other.click('form.logout button[type="submit"]')]);
    await other.close();
    const [response] = await saveTiers();
    expect(response.status()).toBe(401);
    expect(await page().textContent('h1')).toBe('Your session has ended');
    await expectNoViolations('session ended');
  });
});
