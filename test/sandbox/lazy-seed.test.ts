import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxOptions } from '../../connectors/sandbox/server.js';
import { seedLeads } from './helpers.js';

describe('startSandbox reads a lazy seed only when it seeds, and says so first', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-lazy-seed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts and stops a sandbox on `stateFile`; how often the seed was read, and whether onSeeding came first each time. */
  async function startStop(crm: SandboxOptions['crm'], stateFile: string): Promise<{ loads: number; seedings: number; saidFirst: boolean }> {
    let loads = 0;
    let seedings = 0;
    let saidFirst = true;
    const sandbox = await startSandbox({
      port: 0,
      crm,
      stateFile,
      loadSeed: async () => {
        loads += 1;
        if (seedings !== loads) saidFirst = false;
        return seedLeads(12);
      },
      onSeeding: () => void (seedings += 1),
    });
    await sandbox.close();
    return { loads, seedings, saidFirst };
  }

  it('once for a fresh file, once for a CRM the file lacks, never on a full restart', async () => {
    const stateFile = join(dir, 'state.json');
    expect(await startStop('salesforce', stateFile)).toEqual({ loads: 1, seedings: 1, saidFirst: true });
    expect(await startStop('both', stateFile)).toEqual({ loads: 1, seedings: 1, saidFirst: true });
    expect(await startStop('both', stateFile)).toEqual({ loads: 0, seedings: 0, saidFirst: true });
  });
});
