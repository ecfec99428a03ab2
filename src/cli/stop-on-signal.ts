import { exitCodeForSignal, StopRequestedError, type StopSignalName } from '../jobs/stop-request.js';

export interface StopOnSignal {
  /** Aborted, with a StopRequestedError, at the first SIGINT/SIGTERM. */
  readonly signal: AbortSignal;
  /** Gives the signals back (to Node's default: the command's process exits on the next one). */
  dispose(): void;
}

/**
 * Ctrl-C or a service manager's SIGTERM during a cycle: the first one aborts `signal`, so the
 * cycle stops at its next safe point (its lock released, its run recorded, the store closed) and
 * the command exits 130 / 143; a second one exits at once, for a cycle stuck waiting on a CRM.
 */
export function stopOnSignal(stream: { write(text: string): unknown } = process.stderr): StopOnSignal {
  const controller = new AbortController();
  const on = (name: StopSignalName) => () => {
    if (controller.signal.aborted) {
      // A progress bar hides the cursor and turns line wrap off until it stops; it never will now.
      if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\x1b[?7h\n');
      process.exit(exitCodeForSignal(name));
    }
    controller.abort(new StopRequestedError(name));
    // Training can run for a minute before its next safe point: say the signal was heard.
    // On a terminal a progress bar holds the line: start a fresh one rather than run on after it.
    stream.write(`${process.stderr.isTTY ? '\n' : ''}leadlift: ${name} received: stopping at the next safe point (send it again to stop at once)…\n`);
  };
  const onInt = on('SIGINT');
  const onTerm = on('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
