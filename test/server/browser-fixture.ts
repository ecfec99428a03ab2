import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ADMIN, startServerFixture, type ServerFixture } from './server-fixture.js';

/**
 * Debian's chromium (never a downloaded browser) via playwright-core, beside the real server,
 * store and sandbox of server-fixture.ts: what every admin-page browser test starts with. The
 * flags are the ones this machine's closed network needs (without the background-networking ones
 * chromium keeps trying hosts it cannot reach).
 */
export interface BrowserFixture {
  fx: ServerFixture;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

type BrowserFixtureOptions = { server?: Parameters<typeof startServerFixture>[0]; signIn?: boolean };

/** A chromium with a profile of its own in a temp folder, removed on close. */
export async function launchChromium(options: { viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'leadlift-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.LEADLIFT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function startBrowserFixture(options: BrowserFixtureOptions = {}): Promise<BrowserFixture> {
  const [fx, browser] = await Promise.all([startServerFixture(options.server), launchChromium({ viewport: { width: 1280, height: 900 } })]);
  const { context } = browser;
  const page = context.pages()[0] ?? (await context.newPage());
  if (options.signIn) await signIn(page, fx);
  return {
    fx,
    context,
    page,
    async close() {
      await browser.close();
      await fx.close();
    },
  };
}

/**
 * One browser fixture for the whole test file, as useStore (../store/backends.ts) is one store:
 * started before the file's first test, closed after its last. Call at the top level of the file;
 * the getters are for inside tests, where the fixture is there.
 */
export function useBrowserFixture(options: BrowserFixtureOptions = {}): { fx: () => ServerFixture; context: () => BrowserContext; page: () => Page } {
  let current: BrowserFixture | undefined;
  beforeAll(async () => {
    current = await startBrowserFixture(options);
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  const started = () => {
    if (!current) throw new Error('the browser fixture is used outside a test (it starts in beforeAll)');
    return current;
  };
  return { fx: () => started().fx, context: () => started().context, page: () => started().page };
}

/** The admin login form, filled in as a manager would. */
export async function signIn(page: Page, fx: ServerFixture): Promise<void> {
  await page.goto(`${fx.url}/login`);
  await page.fill('input[name="user"]', ADMIN.user);
  await page.fill('input[name="password"]', ADMIN.password);
  await Promise.all([page.waitForURL(`${fx.url}/admin`), page.click('button[type="submit"]')]);
}
