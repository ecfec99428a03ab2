import { parentPort, workerData } from 'node:worker_threads';
import { startLocalSandbox, type LocalSandboxOptions } from './local-sandbox.js';

/**
 * The local sandbox in its own thread: serving and seeding tens of thousands of contacts is real
 * CPU work, and on its own core it no longer competes with the loop that syncs from it.
 */
const sandbox = await startLocalSandbox(workerData as LocalSandboxOptions);
const hidden = [...sandbox.ctx.hidden.hubspot.keys()];
parentPort!.postMessage({ type: 'ready', url: sandbox.url, token: sandbox.token, openLeads: hidden.length, exampleLeadId: hidden[0] ?? null });
parentPort!.on('message', async (message: unknown) => {
  if (message !== 'close') return;
  await sandbox.close();
  parentPort!.postMessage({ type: 'closed' });
  parentPort!.close();
});
