import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configTiersNote } from '../../src/jobs/config-tiers-note.js';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import { loadDemoSeed } from '../../src/jobs/local-sandbox.js';
import { openStore } from '../../src/store/store.js';
import { savedSandboxHome } from '../sandbox/saved-sandbox-home.js';
import { newcomerEnv, startCli, stopLeftOver } from './cli-child.js';

const home = mkdtempSync(join(tmpdir(), 'leadlift-config-tiers-'));
const configPath = join(home, 'leadlift.json');
const sample = fileURLToPath(new URL('../../config/sample/bank-marketing-sample.csv', import.meta.url));
const fileTiers = [{ name: 'Hot', min: 70 }, { name: 'Cold', min: 0 }];
const savedTiers = [{ name: 'Call today', perDay: 10 }, { name: 'Warm', min: 50 }, { name: 'Cold', min: 0 }];
let child: ChildProcess | null = null;

afterEach(async () => {
  await stopLeftOver(child);
  child = null;
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function withStore<T>(dir: string, fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore({ home: dir, databaseUrl: '' });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

describe('config tiers overruled by tiers saved on the admin page', () => {
  it('says nothing without a config file that sets tiers, or when the saved tiers are the file’s', async () => {
    const dir = mkdtempSync(join(home, 'store-'));
    await withStore(dir, async (store) => {
      writeFileSync(configPath, JSON.stringify({ tiers: fileTiers }));
      const env = { LEADLIFT_CONFIG: configPath };
      // Nothing saved yet: the file's tiers are in force.
      expect(await configTiersNote(store, loadConfig({ env }), env)).toBeNull();
      await store.settings.set(TIERS_SETTING, savedTiers, 'manager@example.com');
      // Saved tiers, but the file does not set any: the defaults give way without a word.
      writeFileSync(configPath, JSON.stringify({ model: { trees: 30 } }));
      expect(await configTiersNote(store, loadConfig({ env }), env)).toBeNull();
      expect(await configTiersNote(store, loadConfig({ env: {} }), {})).toBeNull();
      await store.settings.set(TIERS_SETTING, fileTiers, 'manager@example.com');
      writeFileSync(configPath, JSON.stringify({ tiers: fileTiers }));
      expect(await configTiersNote(store, loadConfig({ env }), env)).toBeNull();
    });
  });

  it('leadlift run names both tier lists, which is in force and where to change it', async () => {
    // The sandbox and store a first run leaves, the tiers saved on the admin page in that store.
    // The note is said before the sync: the demo sample stands in for the 41,188 leads it would seed.
    await savedSandboxHome(home, { crm: 'hubspot', seed: await loadDemoSeed({ file: sample }) });
    await withStore(join(home, 'sandbox'), (store) => store.settings.set(TIERS_SETTING, savedTiers, 'manager@example.com'));

    writeFileSync(configPath, JSON.stringify({ tiers: fileTiers }));
    const run = startCli(['run'], newcomerEnv(home, { LEADLIFT_CONFIG: configPath }));
    child = run.child;
    await run.waitFor(/Syncing leads and outcomes: started/, 90_000, 'the run to start syncing');
    run.child.kill('SIGINT');
    await run.exited;
    expect(run.stderr()).toMatch(
      new RegExp(
        `The tiers in ${configPath.replace(/[.]/g, '\\.')} \\(Hot >= 70, Cold >= 0\\) are not used: tiers saved on the admin page win over the config file, ` +
          `and manager@example\\.com saved Call today: top 10 a day, Warm >= 50, Cold >= 0 there \\(\\d{4}-[^)]+\\)\\. Change the tiers on the admin page \\(/admin\\)\\.\\n`,
      ),
    );
  }, 180_000);
});
