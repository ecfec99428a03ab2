import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

// Lives under test/ because the repository's top level is fixed; root points back at the repo.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: forest training spawns workers; keep files from fighting over them.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
