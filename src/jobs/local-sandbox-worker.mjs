// Worker entry for the local sandbox (see local-sandbox.ts): plain JS so tsx can be registered
// before the TypeScript sources load, as src/cli/leadlift.mjs does for the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./local-sandbox-worker.ts');
