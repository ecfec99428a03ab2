// Worker entry: plain JS so Node can start it; tsx then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./tree-worker.ts');
