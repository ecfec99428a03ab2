/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import { useBrowserFixture } from './browser-fixture.js';
import { ADMIN } from './server-fixture.js';

/**
 * The admin pages in Debian's chromium (never a downloaded browser), driven by playwright-core,
 * against the real server, store and sandbox. Screenshots of both pages land in test/server/screenshots/.
 */
const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));
// Screenshots are rewritten only when asked (LEADLIFT_SCREENSHOTS=1), so a test run leaves the
// committed screenshots untouched; otherwise they go to a temp folder and are still taken (and so checked).
const shots = process.env.LEADLIFT_SCREENSHOTS === '1' ? screenshots : mkdtempSync(join(tmpdir(), 'leadlift-shots-'));
const { fx, page } = useBrowserFixture({ server: { every: 10, trees: 40 } });

/** Logs in unless this browser already has a session, so a test run alone (-t) starts signed in too. */
async function signedIn(): Promise<void> {
  await page().goto(`${fx().url}/admin`);
  if (new URL(page().url()).pathname !== '/login') return;
  await page().fill('input[name="user"]', ADMIN.user);
  await page().fill('input[name="password"]', ADMIN.password);
  await Promise.all([page().waitForURL(`${fx().url}/admin`), page().click('button[type="submit"]')]);
}

const leadsAtOrAbove = async (min: number) => [...(await fx().store.scores.latest('hubspot')).values()].filter((s) => s.score >= min).length;

describe('admin pages in chromium', () => {
  it('sends a visitor without a session to the login page', async () => {
    await page().goto(`${fx().url}/admin`);
    expect(new URL(page().url()).pathname).toBe('/login');
    expect(await page().locator('h1').textContent()).toBe('Log in');
    await page().fill('input[name="user"]', ADMIN.user);
    await page().fill('input[name="password"]', 'wrong password, surely');
    await page().click('button[type="submit"]');
    expect(await page().locator('#login-error').textContent()).toContain('do not match');
  });

  it('logs in, previews new thresholds, flags a bad one next to its field, saves, and the CRM gets the new tier options', async () => {
    await page().goto(`${fx().url}/login`);
    await page().fill('input[name="user"]', ADMIN.user);
    await page().fill('input[name="password"]', ADMIN.password);
    await Promise.all([page().waitForURL(`${fx().url}/admin`), page().click('button[type="submit"]')]);
    expect(await page().locator('h1').textContent()).toBe('Priority tiers');

    // Rename the top tier and lower its threshold: the preview follows before anything is saved.
    await page().fill('#tier-0-name', 'Call first');
    await page().fill('#tier-0-min', '60');
    const expectedTop = (await leadsAtOrAbove(60)).toLocaleString('en-US');
    await page().waitForFunction(() => /not saved yet/.test(document.querySelector('#preview-status')?.textContent ?? ''));
    expect(await page().locator('tr[data-row="0"] [data-leads]').textContent()).toBe(expectedTop);
    expect(await fx().store.settings.get(TIERS_SETTING)).toBeNull();

    // By capacity instead: "top 5 leads a day" becomes a minimum score from the current scores.
    await page().selectOption('#tier-0-mode', 'capacity');
    await page().fill('#tier-0-perDay', '5');
    await page().waitForFunction(() => /down to score \d+/.test(document.querySelector('tr[data-row="0"] [data-computed]')?.textContent ?? ''));
    await page().selectOption('#tier-0-mode', 'score');

    // The lowest tier must start at 0: the message appears next to that field.
    await page().fill('#tier-3-min', '5');
    await page().waitForSelector('#tier-3-min-error:not([hidden])');
    expect(await page().locator('#tier-3-min-error').textContent()).toContain('must start at 0');
    expect(await page().locator('#tier-3-min').getAttribute('aria-invalid')).toBe('true');
    await page().fill('#tier-3-min', '0');
    await page().waitForSelector('#tier-3-min-error', { state: 'hidden' });
    await page().waitForFunction(() => /not saved yet/.test(document.querySelector('#preview-status')?.textContent ?? ''));

    await Promise.all([page().waitForURL(`${fx().url}/admin`), page().click('button:has-text("Save tiers")')]);
    expect(await page().locator('.notice').textContent()).toContain('HubSpot: the field “Lead priority tier (leadlift)” now offers these tier names.');
    const saved = (await fx().store.settings.get<Array<{ name: string; min: number }>>(TIERS_SETTING))!;
    expect(saved.value).toEqual([{ name: 'Call first', min: 60 }, { name: 'Warm', min: 50 }, { name: 'Cool', min: 20 }, { name: 'Cold', min: 0 }]);
    // The renamed tier's old option stays until the rescore has rewritten the leads holding it.
    const options = async () => (await fx().hubspot.crm.properties.coreApi.getByName('contacts', 'leadlift_tier')).options.map((o) => o.value);
    expect(await options()).toEqual(expect.arrayContaining(['Call first', 'Warm', 'Cool', 'Cold', 'Hot']));
    expect(await page().locator('table.history tbody tr').count()).toBe(1);
    await fx().deps.loop.idle();
    expect(await options()).toEqual(['Call first', 'Warm', 'Cool', 'Cold']);
    await page().reload();
    await page().screenshot({ path: join(shots, 'admin-tiers.png'), fullPage: true });
  });

  it('draws the ROC curve and the calibration plot with data on the model page', async () => {
    await signedIn();
    await page().goto(`${fx().url}/admin/model`);
    await page().waitForFunction(() => {
      const Chart = (window as unknown as { Chart?: { getChart(el: Element): unknown } }).Chart;
      return !!Chart && !!document.querySelector('#roc-chart') && !!Chart.getChart(document.querySelector('#roc-chart')!) && !!Chart.getChart(document.querySelector('#calibration-chart')!);
    });
    const charts = await page().evaluate(() => {
      const Chart = (window as unknown as { Chart: { getChart(el: Element): { data: { datasets: Array<{ label: string; data: unknown[]; borderDash?: number[] }> } } } }).Chart;
      return ['#roc-chart', '#calibration-chart'].map((id) => {
        const canvas = document.querySelector(id) as HTMLCanvasElement;
        const chart = Chart.getChart(canvas);
        return { width: canvas.width, height: canvas.height, datasets: chart.data.datasets.map((d) => ({ label: d.label, points: d.data.length, dashed: (d.borderDash ?? []).length > 0 })) };
      });
    });
    for (const chart of charts) {
      expect(chart.width).toBeGreaterThan(100);
      expect(chart.height).toBeGreaterThan(100);
      expect(chart.datasets[0].points).toBeGreaterThan(2);
      // The reference line is dashed and the series carries a label: readable without colour.
      expect(chart.datasets[1]).toMatchObject({ dashed: true, points: 2 });
    }
    const active = (await fx().store.models.active('hubspot'))!;
    expect(await page().locator('#kpi-auc').textContent()).toBe((active.metrics.auc as number).toFixed(3));
    expect(await page().locator('#excluded tbody tr').count()).toBeGreaterThan(0);
    await page().screenshot({ path: join(shots, 'admin-model.png'), fullPage: true });
  });

  it('retrains from the model page and says whether the new model was promoted, and why', async () => {
    await signedIn();
    await page().goto(`${fx().url}/admin/model`);
    const active = (await fx().store.models.active('hubspot'))!;
    const before = new Set((await fx().store.models.list('hubspot')).map((m) => m.version));
    await Promise.all([page().waitForURL(`${fx().url}/admin/model?crm=hubspot`), page().click('button:has-text("Retrain now")')]);
    expect(await page().locator('.notice').textContent()).toContain('Retraining started');
    // Leave the page: its poll reloads it when the retrain ends, which would race the visit below.
    await page().goto('about:blank');
    await fx().deps.loop.idle();
    // Rendered by the server once the retrain is done: the same text the page's poll shows.
    await page().goto(`${fx().url}/admin/model`);
    const status = (await page().locator('#activity').textContent())!;
    const trained = (await fx().store.models.list('hubspot')).filter((m) => !before.has(m.version));
    expect(trained).toHaveLength(1);
    // Nothing closed since the active model was trained: the retrain learns the same leads with the
    // same seed, reaches the same AUC, and a tie does not promote.
    const auc = (active.metrics.auc as number).toFixed(3);
    expect((trained[0].metrics.auc as number).toFixed(3)).toBe(auc);
    expect(trained[0].status).not.toBe('active');
    expect((await fx().store.models.active('hubspot'))!.version).toBe(active.version);
    const why = `AUC ${auc} is not above the active model's ${auc} (each model's own time-split AUC: no closed lead is newer than model ${active.version}); model ${active.version} stays in service`;
    expect(status).toContain(`Trained model ${trained[0].version}: not promoted: ${why}. `);
    expect(status).toMatch(/\. [\d,]+ leads? synced, [\d,]+ scored, [\d,]+ written; scored with model /);
    expect(status).not.toMatch(/Done[.:] Done|Done: /);
    expect(status).not.toMatch(/\b1 leads\b/);
    const row = page().locator(`#models tr:has(code:text-is("${trained[0].version}"))`);
    expect(await row.locator('td.why').textContent()).toBe(`Not promoted: ${why}`);
  });

  it('refuses a form whose CSRF token was tampered with', async () => {
    await signedIn();
    const audits = (await fx().store.audit.list({ key: TIERS_SETTING })).length;
    const tiersBefore = await fx().store.settings.get(TIERS_SETTING);
    await page().evaluate(() => {
      (document.querySelector('#tier-form input[name="_csrf"]') as HTMLInputElement).value = 'forged-token';
    });
    const [response] = await Promise.all([page().waitForResponse((r) => r.url() === `${fx().url}/admin/tiers`), page().click('button:has-text("Save tiers")')]);
    expect(response.status()).toBe(403);
    expect(await page().textContent('body')).toContain('CSRF check failed');
    expect((await fx().store.audit.list({ key: TIERS_SETTING })).length).toBe(audits);
    expect(await fx().store.settings.get(TIERS_SETTING)).toEqual(tiersBefore);
  });

  it('saves "top N leads a day" as a rule, refuses a bad N next to its field, and shows the rule and its current score after reload', async () => {
    await signedIn();
    // The top tier's name as the form holds it (an earlier test may have renamed it).
    const top = await page().locator('#tier-0-name').inputValue();
    const audits = (await fx().store.audit.list({ key: TIERS_SETTING })).length;
    await page().selectOption('#tier-0-mode', 'capacity');
    await page().fill('#tier-0-perDay', '2.5');
    await page().waitForSelector('#tier-0-perDay-error:not([hidden])');
    expect(await page().locator('#tier-0-perDay-error').textContent()).toMatch(/leads a day .*whole number, 1 or more/);
    expect(await page().locator('#tier-0-perDay').getAttribute('aria-invalid')).toBe('true');
    // Saved anyway: refused, the field named, nothing stored.
    await Promise.all([page().waitForURL(`${fx().url}/admin/tiers`), page().click('button:has-text("Save tiers")')]);
    expect(await page().locator('#tier-0-perDay-error').textContent()).toMatch(/whole number, 1 or more/);
    expect((await fx().store.audit.list({ key: TIERS_SETTING })).length).toBe(audits);

    await page().selectOption('#tier-0-mode', 'capacity');
    await page().fill('#tier-0-perDay', '5');
    // The preview of this very rule: its row counts five leads (an earlier preview's status alone proves nothing).
    await page().waitForFunction(() => document.querySelector('tr[data-row="0"] [data-leads]')?.textContent === '5' && /not saved yet/.test(document.querySelector('#preview-status')?.textContent ?? ''));
    expect(await page().locator('tr[data-row="0"] [data-leads]').textContent()).toBe('5');
    await Promise.all([page().waitForURL(`${fx().url}/admin`), page().click('button:has-text("Save tiers")')]);
    const saved = (await fx().store.settings.get<unknown[]>(TIERS_SETTING))!;
    expect(saved.value[0]).toEqual({ name: top, perDay: 5 });
    const history = await fx().store.audit.list({ key: TIERS_SETTING });
    expect(history).toHaveLength(audits + 1);

    await fx().deps.loop.idle();
    await page().reload();
    expect(await page().locator('#tier-0-mode').inputValue()).toBe('capacity');
    expect(await page().locator('#tier-0-perDay').inputValue()).toBe('5');
    expect(await page().locator('tr[data-row="0"] .by-capacity').isHidden()).toBe(false);
    // The rescore after saving gave the tier its five best open leads; the row says where they end.
    const latest = [...(await fx().store.scores.latest('hubspot')).values()];
    const inTier = latest.filter((x) => x.tier === top);
    expect(inTier).toHaveLength(5);
    expect(await page().locator('tr[data-row="0"] [data-computed]').textContent()).toBe(`→ down to score ${Math.min(...inTier.map((x) => x.score))} now`);
    expect(await page().locator('tr[data-row="0"] [data-leads]').textContent()).toBe('5');
    expect(await page().locator('table.history tbody tr').first().textContent()).toContain(`${top}: top 5 a day`);
  });
});
