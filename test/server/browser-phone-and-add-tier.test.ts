/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import { useBrowserFixture } from './browser-fixture.js';

/** Debian's chromium via playwright-core against the real server, store and sandbox, as in browser.test.ts. */
const { fx, context, page } = useBrowserFixture({ signIn: true });

describe('the tier form', () => {
  it('adds rows with "Add a tier", so two new tiers go in with one save', async () => {
    await page().setViewportSize({ width: 1280, height: 900 });
    await page().goto(`${fx().url}/admin`);
    const rows = page().locator('#tier-form tbody tr[data-row]');
    const before = await rows.count();
    await page().click('#add-tier');
    expect(await rows.count()).toBe(before + 1);
    const added = before;
    expect(await page().locator(`#tier-${added}-name`).inputValue()).toBe('');
    expect(await page().locator(`label[for="tier-${added}-name"]`).textContent()).toBe(`Tier ${added + 1} name`);
    // Each threshold field names its tier to a screen reader, the added row's too.
    for (let i = 0; i <= added; i++) expect(await page().getByRole('textbox', { name: `Tier ${i + 1} score ≥`, exact: true }).getAttribute('id')).toBe(`tier-${i}-min`);

    // The four default tiers move down two rows: Top, Hot, Warm, Cool, Next, Cold.
    const wanted = [['Top', '90'], ['Hot', '80'], ['Warm', '50'], ['Cool', '20'], ['Next', '10'], ['Cold', '0']];
    for (let i = 0; i < wanted.length; i++) {
      await page().fill(`#tier-${i}-name`, wanted[i][0]);
      await page().selectOption(`#tier-${i}-mode`, 'score');
      await page().fill(`#tier-${i}-min`, wanted[i][1]);
    }
    for (let i = wanted.length; i < before + 1; i++) await page().fill(`#tier-${i}-name`, '');
    await page().waitForFunction(() => /not saved yet/.test(document.querySelector('#preview-status')?.textContent ?? ''));
    await Promise.all([page().waitForURL(`${fx().url}/admin`), page().click('button:has-text("Save tiers")')]);
    const saved = await fx().store.settings.get(TIERS_SETTING);
    expect(saved?.value).toEqual(wanted.map(([name, min]) => ({ name, min: Number(min) })));
    expect(await fx().store.audit.list({ key: TIERS_SETTING })).toHaveLength(1);
    await fx().deps.loop.idle();
  });

  it('has spare rows without JavaScript, and no "Add a tier" button that could not work', async () => {
    const res = await fetch(`${fx().url}/admin`, { headers: { cookie: (await context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    const html = await res.text();
    const saved = ((await fx().store.settings.get<unknown[]>(TIERS_SETTING))?.value ?? []).length;
    expect([...html.matchAll(/<tr data-row="/g)].length).toBe(saved + 2);
    expect(html).toMatch(/<button type="button" class="secondary" id="add-tier"[^>]* hidden>/);
  });
});

describe('at phone widths (390 and 360 px)', () => {
  for (const [path, width] of [['/admin', 390], ['/admin/model', 390], ['/admin', 360], ['/admin/model', 360], ['/install', 360]] as const) {
    it(`fits ${path} at ${width} px without sideways scrolling, with the header readable inside its dark bar`, async () => {
      await page().setViewportSize({ width, height: 844 });
      await page().goto(`${fx().url}${path}`);
      const layout = await page().evaluate(() => {
        const box = (el: Element | null) => (el ? el.getBoundingClientRect() : null);
        const header = document.querySelector('header.top')!;
        const h = box(header)!;
        const outside = Array.from(header.querySelectorAll('a, button, .who'))
          .map((el) => ({ text: el.textContent?.trim(), r: box(el)! }))
          .filter(({ r }) => r.width > 0 && (r.top < h.top - 0.5 || r.bottom > h.bottom + 0.5 || r.left < -0.5 || r.right > window.innerWidth + 0.5))
          .map(({ text }) => text);
        // What sticks out of the page, for the failure message.
        const wide = Array.from(document.querySelectorAll('body *'))
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest('.table-scroll, .sr-only'))
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} (right ${Math.round(el.getBoundingClientRect().right)})`);
        return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, outside, wide, headerBg: getComputedStyle(header).backgroundColor };
      });
      expect(layout.wide, 'elements wider than the viewport').toEqual([]);
      expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
      expect(layout.outside, 'header items outside the dark bar').toEqual([]);
      expect(layout.headerBg).toBe('rgb(20, 33, 61)');
      // Wide tables scroll inside their card instead of widening the page.
      for (const scroller of await page().locator('.table-scroll').all()) {
        const r = await scroller.evaluate((el) => ({ right: el.getBoundingClientRect().right, overflowX: getComputedStyle(el).overflowX, table: el.querySelector('table')?.id ?? el.querySelector('table')?.className }));
        expect(r.right, `the scroller of table ${r.table}`).toBeLessThanOrEqual(width);
        expect(r.overflowX).toBe('auto');
      }
    });
  }
});

describe('the tier form at phone width (360 px)', () => {
  it("shows every tier's threshold and lead count on screen, not off to the right of a scroller", async () => {
    await page().setViewportSize({ width: 360, height: 844 });
    await page().goto(`${fx().url}/admin`);
    const cells = await page().evaluate(() =>
      Array.from(document.querySelectorAll('#tier-form tbody tr[data-row]')).map((row) => {
        const scroller = row.closest('.table-scroll')!;
        const right = (sel: string) => row.querySelector(sel)!.getBoundingClientRect().right;
        const threshold = row.querySelector('.by-score:not([hidden]) input, .by-capacity:not([hidden]) input')!;
        return {
          name: (row.querySelector('input[name="name"]') as HTMLInputElement).value,
          threshold: threshold.getBoundingClientRect().right,
          leads: right('[data-leads]'),
          // The label a reader needs once the column headings are not above the cell.
          leadsLabel: getComputedStyle(row.querySelector('[data-leads]')!, '::before').content,
          hiddenSideways: scroller.scrollWidth - scroller.clientWidth,
        };
      }),
    );
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells) {
      expect(c.threshold, `tier "${c.name}": its threshold field`).toBeLessThanOrEqual(360);
      expect(c.leads, `tier "${c.name}": its lead count`).toBeLessThanOrEqual(360);
      expect(c.leadsLabel, `tier "${c.name}": its lead count says what it counts`).toMatch(/Leads now/);
      expect(c.hiddenSideways, `tier "${c.name}": the table scrolls sideways`).toBeLessThanOrEqual(0);
    }
  });
});
