// Worker entry for the local sandbox (see local-sandbox.ts): plain JS so Node can start it; the
// TypeScript sources load as src/cli/leadlift.mjs loads them for the CLI.
import { loadSource } from '../boot/load-sources.mjs';

await loadSource(new URL('./local-sandbox-worker.ts', import.meta.url));
