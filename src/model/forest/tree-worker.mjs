// Worker entry: plain JS so Node can start it; the TypeScript worker loads as the CLI's does.
import { loadSource } from '../../boot/load-sources.mjs';

await loadSource(new URL('./tree-worker.ts', import.meta.url));
