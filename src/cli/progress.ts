import cliProgress from 'cli-progress';
import { heartbeat } from './heartbeat.js';

export interface Progress {
  tick(n?: number): void;
  total(n: number): void;
  /** A line for the reader while the step goes on: the bar is redrawn under it, not ended. */
  note(text: string): void;
  done(): void;
  /** Ends the step as not finished: it failed, a signal stopped it, or the API budget held it back. Never reads "finished". */
  fail(how: StepEnd): void;
}

/** 'held back for the API budget': the CRM's API share for leadlift is spent; the rest waits for the next run. */
export type StepEnd = 'failed' | 'stopped' | 'held back for the API budget';

export interface ProgressOptions {
  quiet?: boolean;
  /** Default process.stderr; a bar needs a terminal, anything else gets heartbeat lines. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** The heartbeat's clock (tests move it). */
  now?: () => number;
  /** Off a terminal, the least time between two count lines (default 10 s); Infinity: only a step's start and end. */
  heartbeatEveryMs?: number;
  /** What the step counts, when its label does not say it: shown after the counts. */
  unit?: string;
}

/**
 * A progress bar on stderr (stdout stays clean for --json). Off a terminal (CI logs, a pipe,
 * a service manager) a bar would be a flood of carriage returns, yet silence through a sync of
 * several minutes looks like a hang: plain heartbeat lines instead (heartbeat.ts). Quiet is silent.
 */
export function progress(label: string, total: number | null, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { tick() {}, total() {}, note() {}, done() {}, fail() {} };
  if (!stream.isTTY) return heartbeat(label.trim(), total, { stream, now: opts.now, everyMs: opts.heartbeatEveryMs, unit: opts.unit });
  // No total (a sync): a running count, since a bar and a percentage would be made up.
  const format = total === null ? `${label.padEnd(18)} {value} so far | {duration_formatted}` : `${label.padEnd(18)} [{bar}] {percentage}% | {value}/{total}${opts.unit ? ` ${opts.unit}` : ''} | {duration_formatted}`;
  const bar = new cliProgress.SingleBar({ format, stream, hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total ?? 1, 0);
  let ended = false;
  return {
    tick: (n = 1) => bar.increment(n),
    total: (n) => bar.setTotal(n),
    note: (text) => {
      // Clear the bar's line, write the note on its own, and draw the bar again below it.
      stream.write(`\r\x1b[2K${text}\n`);
      bar.render();
    },
    done: () => {
      ended = true;
      bar.stop();
    },
    fail: (how) => {
      if (ended) return;
      ended = true;
      bar.stop();
      // The bar stays drawn as it stood; the line under it says the step did not finish.
      stream.write(`${label.trim()}: ${how}\n`);
    },
  };
}
