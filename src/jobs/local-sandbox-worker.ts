import { parentPort, workerData } from 'node:worker_threads';
import { startLocalSandbox, type LocalSandboxOptions } from './local-sandbox.js';

/**
 * The local sandbox in its own thread: serving and seeding tens of thousands of contacts is real
 * CPU work, and on its own core it no longer competes with the loop that syncs from it.
 */
const sandbox = await startLocalSandbox(workerData as LocalSandboxOptions, { onSeeding: () => parentPort!.postMessage({ type: 'seeding' }) });
const hidden = [...sandbox.ctx.hidden.hubspot.keys()];
parentPort!.postMessage({ type: 'ready', url: sandbox.url, token: sandbox.token, openLeads: hidden.length, exampleLeadId: hidden[0] ?? null });
parentPort!.on('message', async (message: unknown) => {
  if (message !== 'close') return;
  // A final save that fails goes to the parent, which says it through its log: thrown here it would
  // end the thread as an unexplained crash while the command it served has finished its work.
  const saveError = await sandbox.close().then(
    () => null,
    (err: unknown) => (err as Error).message,
  );
  parentPort!.postMessage({ type: 'closed', saveError });
  parentPort!.close();
});
