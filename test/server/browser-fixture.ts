import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
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

export async function startBrowserFixture(
  options: { server?: Parameters<typeof startServerFixture>[0]; signIn?: boolean } = {},
): Promise<BrowserFixture> {
  const profile = mkdtempSync(join(tmpdir(), 'leadlift-chromium-'));
  const [fx, context] = await Promise.all([
    startServerFixture(options.server),
    chromium.launchPersistentContext(profile, {
      executablePath: process.env.LEADLIFT_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    }),
  ]);
  const page = context.pages()[0] ?? (await context.newPage());
  if (options.signIn) await signIn(page, fx);
  return {
    fx,
    context,
    page,
    async close() {
      await context.close();
      await fx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The admin login form, filled in as a manager would. */
export async function signIn(page: Page, fx: ServerFixture): Promise<void> {
  await page.goto(`${fx.url}/login`);
  await page.fill('input[name="user"]', ADMIN.user);
  await page.fill('input[name="password"]', ADMIN.password);
  await Promise.all([page.waitForURL(`${fx.url}/admin`), page.click('button[type="submit"]')]);
}
