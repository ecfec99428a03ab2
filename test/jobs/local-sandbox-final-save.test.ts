import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../connectors/sandbox/server.js';
import { startLocalSandboxInWorker } from '../../src/jobs/local-sandbox.js';
import { seedLeads } from '../sandbox/helpers.js';

describe('the local sandbox in its worker, when the final save fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-worker-final-save-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands the failure to the caller to say through its log, instead of a bare stderr line', async () => {
    const folder = join(dir, 'removed-before-close');
    mkdirSync(folder);
    const stateFile = join(folder, 'state.json');
    // A state file holding both CRMs: the worker loads it and reads no demo seed (fast).
    const made = await startSandbox({ port: 0, crm: 'both', stateFile, seed: seedLeads(10) });
    await made.close();

    const warnings: string[] = [];
    let seedings = 0;
    const sandbox = await startLocalSandboxInWorker({ crm: 'both', stateFile }, { warn: (m) => warnings.push(m), onSeeding: () => void (seedings += 1) });
    // A write the final save must carry (the local sandbox batches saves for 30 s).
    await fetch(`${sandbox.url}/__sandbox/clock/advance`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' }, body: '{"ms":1000}' });
    rmSync(folder, { recursive: true });
    await sandbox.close();
    expect(seedings).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`Could not save the sandbox state to ${stateFile}`);
    expect(warnings[0]).toContain('the sandbox is stopping');
  });
});
