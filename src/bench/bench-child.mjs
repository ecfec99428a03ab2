// Child-process entry for one bench job: plain JS so Node can start it; the rest loads as the CLI's does.
import { loadSource } from '../boot/load-sources.mjs';

await loadSource(new URL('./bench-child.ts', import.meta.url));
