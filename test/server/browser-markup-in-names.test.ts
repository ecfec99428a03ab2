/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import { startBrowserFixture, type BrowserFixture } from './browser-fixture.js';

/**
 * Tier names are typed by any manager and shown to every other one (tiers page, history, model
 * page, CRM options): markup in them must stay text in real chromium, in element text, attribute
 * values, the page's JSON data and the messages the page's script writes. The check is for the
 * elements themselves, not for a script running: the CSP (script-src-attr 'none') would stop the
 * handler even where the markup got in, and the escaping is what this is about.
 */
const NAMES = ['<img src=x onerror=alert(1)>', '"><svg onload=alert(2)>', "'></script><b id=b>x", 'Cold'];

let b: BrowserFixture;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  b = await startBrowserFixture({ signIn: true });
  page = b.page;
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}, 120_000);

afterAll(async () => {
  await b?.close();
});

/** Elements the names would have made, had any reached the page as markup. */
const injected = () => page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], b#b, [onerror], [onload]').length);

it('keeps markup in tier names as text on every page that shows them', async () => {
  const { fx } = b;
  await page.goto(`${fx.url}/admin`);
  for (const [i, name] of NAMES.entries()) await page.fill(`#tier-${i}-name`, name);
  // The preview script redraws the rows with the names typed.
  await page.waitForFunction(() => /not saved yet/.test(document.querySelector('#preview-status')?.textContent ?? ''));
  expect(await injected()).toBe(0);

  // A refused save: the script lists the fault, the name quoted in it.
  await page.fill('#tier-3-name', NAMES[0]);
  const [refused] = await Promise.all([page.waitForResponse((r) => r.url() === `${fx.url}/admin/tiers` && r.request().method() === 'POST'), page.click('button:has-text("Save tiers")')]);
  expect(refused.status()).toBe(422);
  await page.waitForSelector('#form-error:not([hidden])');
  expect(await page.textContent('#form-error')).toContain(`"${NAMES[0]}" is already used by tier 1`);
  expect(await injected()).toBe(0);

  await page.fill('#tier-3-name', 'Cold');
  await Promise.all([page.waitForURL(`${fx.url}/admin`), page.click('button:has-text("Save tiers")')]);
  const saved = (await fx.store.settings.get<Array<{ name: string }>>(TIERS_SETTING))!;
  expect(saved.value.map((t) => t.name)).toEqual(NAMES);
  await fx.deps.loop.idle();

  await page.reload();
  expect(await page.inputValue('#tier-0-name')).toBe(NAMES[0]);
  expect(await page.inputValue('#tier-1-name')).toBe(NAMES[1]);
  expect(await page.inputValue('#tier-2-name')).toBe(NAMES[2]);
  // The history of changes names them as text.
  expect(await page.textContent('table.history')).toContain(NAMES[0]);
  expect(await injected()).toBe(0);

  await page.goto(`${fx.url}/admin/model`);
  await page.waitForLoadState('load');
  expect(await injected()).toBe(0);
  expect(dialogs).toEqual([]);
}, 180_000);
