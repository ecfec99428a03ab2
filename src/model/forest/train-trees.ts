import { Worker } from 'node:worker_threads';
import { LeadliftError } from '../../domain/errors.js';
import type { FlatTree } from './flat-tree.js';
import { TreeBuilder, type TrainingData, type TreeSettings } from './tree-builder.js';

const workerEntry = new URL('./tree-worker.mjs', import.meta.url);

export type TreeProgress = (treesDone: number, treesTotal: number) => void;

/**
 * Builds `trees` trees, in order of index. Each tree's randomness comes only from (seed,
 * index), so the result does not depend on `threads` or on which worker built which tree.
 */
export async function trainTrees(data: TrainingData, settings: TreeSettings, trees: number, threads: number, onProgress?: TreeProgress): Promise<FlatTree[]> {
  if (threads <= 1 || trees === 1) {
    const builder = new TreeBuilder(data, settings);
    const out: FlatTree[] = [];
    for (let t = 0; t < trees; t++) {
      out.push(builder.build(t));
      onProgress?.(t + 1, trees);
    }
    return out;
  }
  return trainOnWorkers(data, settings, trees, Math.min(threads, trees), onProgress);
}

function trainOnWorkers(data: TrainingData, settings: TreeSettings, trees: number, threads: number, onProgress?: TreeProgress): Promise<FlatTree[]> {
  return new Promise((resolve, reject) => {
    const out: FlatTree[] = new Array(trees);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;

    const stopAll = () => {
      for (const w of workers) void w.terminate();
    };
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      stopAll();
      reject(new LeadliftError(`Training a tree failed in a worker thread: ${err instanceof Error ? err.message : String(err)}`, 1, { cause: err }));
    };
    const handOut = (worker: Worker) => {
      if (next < trees) worker.postMessage({ tree: next++ });
    };

    for (let i = 0; i < threads; i++) {
      const worker = new Worker(workerEntry, { workerData: { data, settings } });
      workers.push(worker);
      worker.on('message', (message: { ready?: true; tree?: number; flat?: FlatTree }) => {
        if (failed) return;
        if (message.tree !== undefined && message.flat) {
          out[message.tree] = message.flat;
          done++;
          onProgress?.(done, trees);
          if (done === trees) {
            stopAll();
            resolve(out);
            return;
          }
        }
        handOut(worker);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (done < trees && !failed) fail(new Error(`worker stopped with exit code ${code}`));
      });
    }
  });
}
