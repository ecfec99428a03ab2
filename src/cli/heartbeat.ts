import { wholeNumber } from '../domain/counted.js';
import type { Progress } from './progress.js';

export interface HeartbeatOptions {
  /** Where the lines go: stderr in the CLI, so stdout stays clean for --json. */
  stream: { write(text: string): unknown };
  /** The clock (tests move it); default performance.now. */
  now?: () => number;
  /** The least time between two progress lines. */
  everyMs?: number;
  /** What the step counts, when its label does not say it ("Training model": trees). */
  unit?: string;
}

const EVERY_MS = 10_000;
const int = wholeNumber;

/**
 * Progress as plain lines for a log or a pipe, where a bar would be a flood of carriage
 * returns: one line when the step starts, one when it ends, and in between at most one every
 * ten seconds, so a long sync still shows it is alive without burying the rest of the output.
 */
export function heartbeat(label: string, total: number | null, options: HeartbeatOptions): Progress {
  const now = options.now ?? (() => performance.now());
  const everyMs = options.everyMs ?? EVERY_MS;
  const started = now();
  let lastLine = started;
  let done = 0;
  let ended = false;
  const of = options.unit ? ` ${options.unit}` : '';
  const line = (text: string) => options.stream.write(`${label}: ${text}\n`);
  const rate = (at: number) => {
    const seconds = (at - started) / 1000;
    return seconds > 0 ? `${int(done / seconds)}/s` : 'n/a';
  };
  // A step with no total (a sync: the CRM does not say how many records it will send) counts
  // "so far"; a total of 1 is a one-piece step (a fit) with nothing to count.
  line(total === null || total <= 1 ? 'started' : `started (${int(total)}${of} to do)`);
  return {
    tick(n = 1) {
      done += n;
      const at = now();
      if (ended || at - lastLine < everyMs) return;
      lastLine = at;
      line(total === null ? `${int(done)} so far (${rate(at)})` : `${int(done)}/${int(Math.max(total, done))}${of} (${rate(at)})`);
    },
    total(n) {
      total = n;
    },
    note(text) {
      options.stream.write(`${text}\n`);
    },
    done() {
      if (ended) return;
      ended = true;
      const at = now();
      const seconds = ((at - started) / 1000).toFixed(1);
      // A one-piece step (a fit, a baseline) has no count worth a rate.
      line(total !== null && total <= 1 && done <= 1 ? `finished in ${seconds} s` : `finished, ${int(done)}${of} in ${seconds} s (${rate(at)})`);
    },
    fail(how) {
      if (ended) return;
      ended = true;
      const seconds = ((now() - started) / 1000).toFixed(1);
      line(total !== null && total <= 1 && done <= 1 ? `${how} after ${seconds} s` : `${how} after ${int(done)}${of} in ${seconds} s`);
    },
  };
}
