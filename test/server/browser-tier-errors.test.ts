/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import { useBrowserFixture } from './browser-fixture.js';

/** Debian's chromium via playwright-core against the real server, store and sandbox, as in browser.test.ts. */
const { fx, page } = useBrowserFixture({ signIn: true });

const DUPLICATE = 'Tier 2 name: "Hot" is already used by tier 1; tier names must be unique.';
const ABOVE_100 = 'Tier 3 minimum score: Must be 100 or less.';

/** The summary, where focus is, and each form input's invalid mark and the text its aria-describedby points at. */
const formState = () =>
  page().evaluate(() => {
    const summary = document.getElementById('form-error')!;
    const inputs = Array.from(document.querySelectorAll<HTMLInputElement>('#tier-form tbody input'));
    return {
      focused: document.activeElement?.id ?? null,
      summary: { hidden: summary.hidden, role: summary.getAttribute('role'), tabindex: summary.getAttribute('tabindex'), text: document.getElementById('form-error-text')!.textContent, items: Array.from(summary.querySelectorAll('li')).map((li) => li.textContent) },
      links: Array.from(summary.querySelectorAll('li a')).map((a) => a.getAttribute('href')),
      invalid: inputs.filter((i) => i.getAttribute('aria-invalid') === 'true').map((i) => ({ id: i.id, described: document.getElementById(i.getAttribute('aria-describedby') ?? '')?.textContent ?? null })),
      // Hand-made checks in place of axe: every input labelled, every id unique, every description there.
      unlabelled: inputs.filter((i) => i.labels === null || i.labels.length === 0).map((i) => i.id),
      duplicateIds: Array.from(document.querySelectorAll('[id]')).map((e) => e.id).filter((id, k, all) => all.indexOf(id) !== k),
      danglingDescriptions: inputs.filter((i) => !document.getElementById(i.getAttribute('aria-describedby') ?? '')).map((i) => i.id),
    };
  });

async function fillFaults(): Promise<void> {
  await page().goto(`${fx().url}/admin`);
  // Two faults at once: tier 2 takes tier 1's name, tier 3 a threshold above 100.
  await page().fill('#tier-1-name', 'Hot');
  await page().fill('#tier-2-min', '150');
}

describe('a refused tier save', () => {
  it('lists every fault at once, each naming its row, marks those fields, and moves focus to the list', async () => {
    await fillFaults();
    const [response] = await Promise.all([page().waitForResponse((r) => r.url() === `${fx().url}/admin/tiers` && r.request().method() === 'POST'), page().click('button:has-text("Save tiers")')]);
    expect(response.status()).toBe(422);
    await page().waitForFunction(() => document.activeElement?.id === 'form-error', undefined, { timeout: 5000 });
    const refused = await formState();
    expect(refused.focused).toBe('form-error');
    expect(refused.summary).toEqual({ hidden: false, role: 'alert', tabindex: '-1', text: 'Nothing was saved. Fix these 2 problems and save again:', items: [DUPLICATE, ABOVE_100] });
    expect(refused.links).toEqual(['#tier-1-name', '#tier-2-min']);
    expect(refused.invalid).toEqual([
      { id: 'tier-1-name', described: '"Hot" is already used by tier 1; tier names must be unique.' },
      { id: 'tier-2-min', described: 'Must be 100 or less.' },
    ]);
    expect(refused).toMatchObject({ unlabelled: [], duplicateIds: [], danglingDescriptions: [] });
    expect(await fx().store.settings.get(TIERS_SETTING)).toBeNull();

    // As the faults are fixed the preview keeps the summary in step, then closes it.
    await page().fill('#tier-2-min', '40');
    await page().waitForFunction(() => document.querySelectorAll('#form-error li').length === 1);
    expect((await formState()).summary).toMatchObject({ hidden: false, text: 'Fix this problem to save:', items: [DUPLICATE] });
    expect((await formState()).invalid.map((i) => i.id)).toEqual(['tier-1-name']);
    await page().fill('#tier-1-name', 'Warm');
    await page().waitForSelector('#form-error', { state: 'hidden' });
    expect((await formState()).invalid).toEqual([]);
  });

  it('moves focus to the list without the page script too (autofocus), with the same faults', async () => {
    await page().route('**/static/tiers.js', (route) => route.abort());
    try {
      await fillFaults();
      await Promise.all([page().waitForURL(`${fx().url}/admin/tiers`), page().click('button:has-text("Save tiers")')]);
      await page().waitForFunction(() => document.activeElement?.id === 'form-error', undefined, { timeout: 5000 });
      const refused = await formState();
      expect(refused.summary.items).toEqual([DUPLICATE, ABOVE_100]);
      expect(refused.invalid.map((i) => i.id)).toEqual(['tier-1-name', 'tier-2-min']);
    } finally {
      await page().unroute('**/static/tiers.js');
    }
    expect(await fx().store.settings.get(TIERS_SETTING)).toBeNull();
  });

  it('leaves focus alone on a page that was not refused', async () => {
    await page().goto(`${fx().url}/admin`);
    const state = await formState();
    expect(state.summary.hidden).toBe(true);
    expect(state.focused).not.toBe('form-error');
  });
});
