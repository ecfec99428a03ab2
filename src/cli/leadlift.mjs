#!/usr/bin/env node
// The published entry point: plain JS so `npx leadlift` runs without a build step; the TypeScript
// sources load compiled from a cache kept fresh on the fly (src/boot/load-sources.mjs).
import { loadSource } from '../boot/load-sources.mjs';

const { main } = await loadSource(new URL('./main.ts', import.meta.url));
await main(process.argv);
