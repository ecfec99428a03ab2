/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { useBrowserFixture } from './browser-fixture.js';
import { ADMIN } from './server-fixture.js';

/** Debian's chromium via playwright-core against the real server, store and sandbox, as in browser.test.ts. */
const { fx, page } = useBrowserFixture();

/** Where focus is, and whether the skip link can be seen in the viewport. */
const focusState = () =>
  page().evaluate(() => {
    const active = document.activeElement;
    const r = document.querySelector('a.skip-link')?.getBoundingClientRect();
    return {
      active: active ? `${active.tagName.toLowerCase()}${active.id ? `#${active.id}` : ''}${active.className ? `.${String(active.className).split(' ').join('.')}` : ''}` : null,
      activeText: active?.textContent?.trim() ?? null,
      inMain: !!active?.closest('main#main'),
      linkOnScreen: !!r && r.width > 0 && r.height > 0 && r.bottom > 0 && r.top >= 0 && r.right <= window.innerWidth,
    };
  });

async function checkSkipLink(path: string): Promise<void> {
  await page().goto(`${fx().url}${path}`);
  expect(new URL(page().url()).pathname).toBe(path);
  // Hidden until focused: a sighted mouse user never sees it.
  expect((await focusState()).linkOnScreen, `${path}: skip link off screen before focus`).toBe(false);

  await page().keyboard.press('Tab');
  const tabbed = await focusState();
  expect(tabbed.active, `${path}: first Tab stop`).toBe('a.skip-link');
  expect(tabbed.activeText).toBe('Skip to main content');
  expect(tabbed.linkOnScreen, `${path}: skip link visible on focus`).toBe(true);

  await page().keyboard.press('Enter');
  await page().waitForFunction(() => !!document.activeElement?.closest('main#main'));
  expect((await focusState()).active, `${path}: focus after Enter`).toBe('main#main');
  // The next Tab carries on inside main, not back at the header's links.
  await page().keyboard.press('Tab');
  const next = await focusState();
  expect(next.inMain, `${path}: Tab after the skip (${next.active})`).toBe(true);
  expect(next.linkOnScreen).toBe(false);
}

describe('"Skip to main content"', () => {
  it('is the first Tab stop on the login page and moves focus into main', async () => {
    await checkSkipLink('/login');
  });

  it('is the first Tab stop on every signed-in admin page and moves focus into main', async () => {
    await page().goto(`${fx().url}/login`);
    await page().fill('input[name="user"]', ADMIN.user);
    await page().fill('input[name="password"]', ADMIN.password);
    await Promise.all([page().waitForURL(`${fx().url}/admin`), page().click('button[type="submit"]')]);
    for (const path of ['/admin', '/admin/model', '/install']) await checkSkipLink(path);
  });
});
