#!/usr/bin/env node
// The published entry point: plain JS so `npx leadlift` runs without a build step;
// tsx loads the TypeScript sources on the fly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
await main(process.argv);
