import { createServer } from 'node:net';
import { InputError } from '../domain/errors.js';

/** A port the app must listen on, and what the user changes to pick another ("--port N", "PORT=N"). */
export interface PortNeed {
  port: number;
  host: string;
  /** Named in the error: the flag or environment variable that moves this listener. */
  setting: string;
}

/** Something else listens on a port the app needs. */
export class PortInUseError extends InputError {
  readonly port: number;
  constructor(need: Pick<PortNeed, 'port' | 'setting'>) {
    super(`port ${need.port} is in use (another leadlift, sandbox or app is listening there): stop it, or choose another port with ${need.setting} (0 = any free port).`);
    this.port = need.port;
  }
}

/**
 * Fails with PortInUseError when `port` cannot be bound right now. Checked before anything is
 * deleted or started, so a conflict costs nothing; the real listen still maps its own EADDRINUSE
 * (portInUseOr) for the rare port taken in between.
 */
export async function assertPortFree(need: PortNeed): Promise<void> {
  if (need.port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => reject(portInUseOr(err, need)));
    probe.listen(need.port, need.host, () => probe.close(() => resolve()));
  });
}

/** EADDRINUSE from a listen becomes PortInUseError; any other error is returned as it is. */
export function portInUseOr(err: unknown, need: Pick<PortNeed, 'port' | 'setting'>): unknown {
  return (err as NodeJS.ErrnoException | null)?.code === 'EADDRINUSE' ? new PortInUseError(need) : err;
}
