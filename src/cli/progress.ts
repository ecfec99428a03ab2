import cliProgress from 'cli-progress';

export interface Progress {
  tick(n?: number): void;
  total(n: number): void;
  done(): void;
}

/**
 * A progress bar on stderr (stdout stays clean for --json). Silent when stderr is not a
 * terminal or when quiet is set, so CI logs and piped output are not flooded.
 */
export function progress(label: string, total: number, opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet || !process.stderr.isTTY) {
    return { tick() {}, total() {}, done() {} };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(18)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    tick: (n = 1) => bar.increment(n),
    total: (n) => bar.setTotal(n),
    done: () => bar.stop(),
  };
}
