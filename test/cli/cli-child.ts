import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI entry, run as `npx leadlift` runs it. */
export const leadliftBin = fileURLToPath(new URL('../../src/cli/leadlift.mjs', import.meta.url));

/** A newcomer's environment: no CRM or store settings (so the local sandbox), in `home`. */
export function newcomerEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(HUBSPOT|SALESFORCE)_|^DATABASE_URL$|^PORT$|^LEADLIFT_/.test(key)));
  return { ...env, LEADLIFT_HOME: home, ...extra };
}

export interface RunningCli {
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Exit code, or the signal that ended it. */
  exited: Promise<number | string | null>;
  /**
   * Resolves once stderr matches `pattern`; rejects, with what stderr did say, if the process
   * exits first or `ms` pass, so a test never waits out its own timeout in silence.
   */
  waitFor(pattern: RegExp, ms: number, what: string): Promise<void>;
}

export function startCli(args: string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(process.execPath, [leadliftBin, ...args], { env });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return {
    child,
    stderr: () => stderr,
    exited,
    async waitFor(pattern, ms, what) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          const check = () => pattern.test(stderr) && resolve();
          child.stderr!.on('data', check);
          check();
          child.once('exit', (code, signal) => reject(new Error(`exited (${code ?? signal}) before ${what}: ${stderr}`)));
          timer = setTimeout(() => reject(new Error(`no ${what} within ${ms / 1000} s; stderr so far: ${stderr || '(nothing)'}`)), ms);
        });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Stops a child a failed test left running, and waits for it to go. */
export async function stopLeftOver(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await gone;
}
