import { join } from 'node:path';
import type { SeedLead } from '../../connectors/sandbox/context.js';
import { startSandbox, type SandboxCrm } from '../../connectors/sandbox/server.js';
import { LOCAL_SANDBOX_LIMITS, demoSeedLabels, loadDemoSeed } from '../../src/jobs/local-sandbox.js';
import { createPrivateFolder } from '../../src/store/private-files.js';

/**
 * Gives LEADLIFT_HOME `home` the local sandbox an earlier `run` would have left, saved by the real
 * sandbox to its state file, so the CLI (or connectFromEnv) restarts from it instead of seeding all
 * 41,188 demo leads. Holds `seed` when given, else every 10th demo lead (enough for a real
 * first cycle that syncs, trains and scores). For tests whose point is what happens around a cycle.
 */
export async function savedSandboxHome(home: string, options: { seed?: SeedLead[]; crm?: SandboxCrm } = {}): Promise<void> {
  const dir = join(home, 'sandbox');
  createPrivateFolder(dir);
  const seed = options.seed ?? (await loadDemoSeed({ every: 10 }));
  const sandbox = await startSandbox({ port: 0, crm: options.crm ?? 'both', seed, seedLabels: demoSeedLabels(), stateFile: join(dir, 'state.json'), ...LOCAL_SANDBOX_LIMITS });
  await sandbox.close();
}
