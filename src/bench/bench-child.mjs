// Child-process entry for one bench job: plain JS so Node can start it; tsx loads the rest.
import { register } from 'tsx/esm/api';

register();
await import('./bench-child.ts');
