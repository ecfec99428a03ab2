import { describe, expect, it } from 'vitest';
import { useBrowserFixture } from './browser-fixture.js';

/**
 * On a phone (375 px) the model page's wide tables scroll sideways: the page says so, and each
 * is a labelled region a keyboard can scroll, not a table cut off at the screen's edge.
 */
const browser = useBrowserFixture({ signIn: true });

describe('the model page at 375 px', () => {
  it.each([['All models, scrolls sideways'], ['Input drift by field, scrolls sideways']])('the %s table is a keyboard-scrollable region with a visible hint', async (label) => {
    const [page, fx] = [browser.page(), browser.fx()];
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${fx.url}/admin/model`);
    const region = page.locator(`[role="region"][aria-label="${label}"]`);
    expect(await region.getAttribute('tabindex')).toBe('0');
    const size = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(size.scroll).toBeGreaterThan(size.client);
    const hint = region.locator('xpath=preceding-sibling::p[1]');
    expect(await hint.textContent()).toBe('Scroll the table sideways for more columns.');
    expect(await hint.isVisible()).toBe(true);
    await region.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  });
});
