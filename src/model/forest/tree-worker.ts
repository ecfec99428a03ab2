import { parentPort, workerData } from 'node:worker_threads';
import { TreeBuilder, type TrainingData, type TreeSettings } from './tree-builder.js';

/** Builds the trees the main thread asks for, one message per tree. */
const { data, settings } = workerData as { data: TrainingData; settings: TreeSettings };
const builder = new TreeBuilder(data, settings);
const port = parentPort!;

port.on('message', (message: { tree: number }) => {
  const tree = builder.build(message.tree);
  port.postMessage({ tree: message.tree, flat: tree }, [
    tree.feature.buffer,
    tree.threshold.buffer,
    tree.left.buffer,
    tree.right.buffer,
    tree.missingLeft.buffer,
    tree.value.buffer,
  ] as ArrayBuffer[]);
});
port.postMessage({ ready: true });
