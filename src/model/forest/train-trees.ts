import { Worker } from 'node:worker_threads';
import { LeadliftError } from '../../domain/errors.js';
import type { FlatTree } from './flat-tree.js';
import { TreeBuilder, type TrainingData, type TreeSettings } from './tree-builder.js';

const workerEntry = new URL('./tree-worker.mjs', import.meta.url);
/** Tasks queued per worker, so it never waits for the busy main thread to hand out the next. */
const IN_FLIGHT = 2;

export type TreeProgress = (treesDone: number, treesTotal: number) => void;

/**
 * Builds `trees` trees, returned in index order. Each tree's randomness comes only from
 * (seed, index), so the forest does not depend on `threads` or on who built which tree.
 * With threads = N, N - 1 workers are started and the calling thread builds trees too,
 * which also hides the workers' start-up time (loading TypeScript takes a few hundred ms).
 */
export async function trainTrees(
  data: TrainingData,
  settings: TreeSettings,
  trees: number,
  threads: number,
  onProgress?: TreeProgress,
  /** false: with threads > 1, only workers build (all `threads` of them). */
  callerBuilds = true,
): Promise<FlatTree[]> {
  const out: FlatTree[] = new Array(trees);
  let next = 0;
  let done = 0;
  const finished = (index: number, tree: FlatTree) => {
    out[index] = tree;
    done++;
    onProgress?.(done, trees);
  };

  const useWorkers = threads > 1 && trees > 1;
  const workerCount = callerBuilds ? Math.min(threads - 1, trees - 1) : Math.min(threads, trees);
  const pool = useWorkers ? startWorkers(data, settings, workerCount, () => (next < trees ? next++ : null), () => next < trees, finished) : null;
  const builder = new TreeBuilder(data, settings);
  try {
    while (next < trees && (callerBuilds || !pool)) {
      const index = next++;
      finished(index, builder.build(index));
      pool?.throwIfFailed();
      // Let worker results, timers and signals (a Ctrl-C mid-training) in between local trees.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (pool) await pool.drained();
  } finally {
    pool?.stop();
  }
  return out;
}

interface WorkerPool {
  drained(): Promise<void>;
  throwIfFailed(): void;
  stop(): void;
}

function startWorkers(
  data: TrainingData,
  settings: TreeSettings,
  count: number,
  take: () => number | null,
  unassigned: () => boolean,
  finished: (index: number, tree: FlatTree) => void,
): WorkerPool {
  const workers: Worker[] = [];
  let outstanding = 0;
  let failure: LeadliftError | null = null;
  let wake: (() => void) | null = null;
  const settle = () => {
    if (wake && ((outstanding === 0 && !unassigned()) || failure)) wake();
  };
  const fail = (err: unknown) => {
    failure ??= new LeadliftError(`Training a tree failed in a worker thread: ${err instanceof Error ? err.message : String(err)}`, 1, { cause: err });
    settle();
  };
  const handOut = (worker: Worker) => {
    const index = take();
    if (index === null) return;
    outstanding++;
    worker.postMessage({ tree: index });
  };

  for (let i = 0; i < count; i++) {
    const worker = new Worker(workerEntry, { workerData: { data, settings } });
    workers.push(worker);
    worker.on('message', (message: { ready?: true; tree?: number; flat?: FlatTree }) => {
      if (failure) return;
      if (message.ready) {
        for (let k = 0; k < IN_FLIGHT; k++) handOut(worker);
      } else if (message.tree !== undefined && message.flat) {
        outstanding--;
        finished(message.tree, message.flat);
        handOut(worker);
      }
      settle();
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (outstanding > 0) fail(new Error(`worker stopped with exit code ${code}`));
    });
  }

  return {
    throwIfFailed() {
      if (failure) throw failure;
    },
    drained() {
      return new Promise<void>((resolve, reject) => {
        wake = () => (failure ? reject(failure) : resolve());
        settle();
      });
    },
    stop() {
      for (const w of workers) void w.terminate();
    },
  };
}
