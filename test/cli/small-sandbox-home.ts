import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox } from '../../connectors/sandbox/server.js';
import { LOCAL_SANDBOX_LIMITS, demoSeedLabels, loadDemoSeed } from '../../src/jobs/local-sandbox.js';

/**
 * Gives `home` the local sandbox a newcomer's earlier `run` would have left, holding every
 * `every`-th demo lead instead of all 41,188: the real CLI then restarts it from its state file
 * (no seeding) and its first cycle syncs and trains on a tenth of the history. For tests whose
 * point is what happens around a cycle (start-up, stop, log lines), not the full seed's figures.
 */
export async function smallSandboxHome(home: string, options: { every?: number } = {}): Promise<void> {
  const dir = join(home, 'sandbox');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const seed = await loadDemoSeed({ every: options.every ?? 10 });
  const sandbox = await startSandbox({ port: 0, crm: 'both', seed, seedLabels: demoSeedLabels(), stateFile: join(dir, 'state.json'), ...LOCAL_SANDBOX_LIMITS });
  await sandbox.close();
}
