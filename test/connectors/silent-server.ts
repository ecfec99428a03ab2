import { createServer, type Socket } from 'node:net';
import { expect } from 'vitest';

/**
 * A host that takes the connection, reads the request and never answers: what a CRM or login
 * host behind a stalled proxy looks like. It counts the connections still open and those closed,
 * so a test can tell that a call which gave up at its deadline also let go of its socket.
 */
export interface SilentServer {
  /** host:port, without a scheme. */
  host: string;
  openConnections(): number;
  /** The call's error (null if it resolved) and how long it took, once the connection it opened is closed again. */
  timed(call: () => Promise<unknown>): Promise<{ err: Error | null; ms: number }>;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const open = new Set<Socket>();
  let closed = 0;
  const server = createServer((socket) => {
    open.add(socket);
    socket.on('data', () => {}); // read the request, answer nothing
    socket.on('close', () => {
      open.delete(socket);
      closed += 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as { port: number }).port}`,
    openConnections: () => open.size,
    async timed(call) {
      const before = closed;
      const started = Date.now();
      const err = (await call().then(
        () => null,
        (e: unknown) => e,
      )) as Error | null;
      const ms = Date.now() - started;
      await expect.poll(() => closed, { timeout: 2000 }).toBeGreaterThan(before);
      return { err, ms };
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
