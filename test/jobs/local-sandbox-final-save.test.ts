import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../connectors/sandbox/server.js';
import { LocalSandboxSaveError, startLocalSandboxInWorker } from '../../src/jobs/local-sandbox.js';
import { seedLeads } from '../sandbox/helpers.js';

describe('the local sandbox in its worker, when the final save fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-worker-final-save-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('close() rejects with the failure, for the caller to report, instead of a bare stderr line', async () => {
    const folder = join(dir, 'removed-before-close');
    mkdirSync(folder);
    const stateFile = join(folder, 'state.json');
    // A state file holding both CRMs: the worker loads it and reads no demo seed (fast).
    const made = await startSandbox({ port: 0, crm: 'both', stateFile, seed: seedLeads(10) });
    await made.close();

    let seedings = 0;
    const sandbox = await startLocalSandboxInWorker({ crm: 'both', stateFile }, { onSeeding: () => void (seedings += 1) });
    // A write the final save must carry (the local sandbox batches saves for 30 s).
    await fetch(`${sandbox.url}/__sandbox/clock/advance`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.token}`, 'content-type': 'application/json' }, body: '{"ms":1000}' });
    rmSync(folder, { recursive: true });
    const err = await sandbox.close().then(() => null, (e: unknown) => e as Error);
    expect(seedings).toBe(0);
    expect(err).toBeInstanceOf(LocalSandboxSaveError);
    expect(err!.message).toContain(`Could not save the sandbox state to ${stateFile}`);
    expect(err!.message).toContain('the sandbox is stopping');
  });
});
