import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on: bound, read and released again. For a server a test starts
 * next, or for an address that must refuse connections (a CRM URL where nothing runs).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
