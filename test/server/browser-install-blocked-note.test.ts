/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { installPage } from '../../src/server/views/install-page.js';
import { GENERATE_KEY_HINT } from '../../src/store/token-cipher.js';
import { launchChromium } from './browser-fixture.js';

/**
 * The Connections page as a newcomer on the sandbox sees it (no LEADLIFT_SECRET_KEY): the note
 * under the disabled button carries a shell command with no spaces to break at. Rendered by the
 * page's own view and stylesheet in Debian's chromium; a server with no key is not needed for that.
 */
let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
let context: BrowserContext;

beforeAll(async () => {
  chromium = await launchChromium();
  ({ context } = chromium);
});

afterAll(async () => {
  await chromium?.close();
});

it('keeps the "set LEADLIFT_SECRET_KEY" note, command included, inside a 360 px screen', async () => {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize({ width: 360, height: 800 });
  const idle = { crm: 'hubspot', task: null, state: 'idle', step: null, done: 0, total: 0, message: '', startedAt: null, finishedAt: null } as const;
  const markup = installPage({
    csrf: 'x',
    user: 'admin',
    flash: null,
    crms: [
      {
        crm: 'hubspot',
        name: 'HubSpot',
        connected: true,
        how: 'leadlift reads contacts and deals and writes the leadlift property group.',
        canInstall: true,
        missing: null,
        scopes: ['crm.objects.contacts.read'],
        redirectUri: 'http://localhost:3000/install/hubspot/callback',
        activity: idle,
        blocked: `The local sandbox is connected without LEADLIFT_SECRET_KEY. Set it, ${GENERATE_KEY_HINT}`,
        sandbox: 'http://127.0.0.1:4010',
      },
    ],
  }).toString();
  await page.setContent(markup.replace(/<link rel="stylesheet"[^>]*>/, ''));
  await page.addStyleTag({ content: readFileSync(new URL('../../src/server/public/app.css', import.meta.url), 'utf8') });
  const fit = await page.evaluate(() => {
    const note = document.getElementById('hubspot-blocked')!;
    return { noteWidth: note.scrollWidth, noteBox: note.clientWidth, pageWidth: document.documentElement.scrollWidth, text: note.textContent };
  });
  expect(fit.text).toContain("randomBytes(32).toString('base64')");
  expect(fit.noteWidth, 'the note runs past its card').toBeLessThanOrEqual(fit.noteBox);
  expect(fit.pageWidth, 'the page scrolls sideways').toBeLessThanOrEqual(360);
});
