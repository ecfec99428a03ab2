// Loads a TypeScript entry point of the app: from the compiled cache (build-cache.mjs) when it is
// fresh or can be built, else through tsx as before, so a read-only install or a source esbuild
// cannot compile still runs (and tsx then reports what is wrong with the source).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildInto, builtPath, freshBuild } from './build-cache.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
// One cache per source tree: checkouts that share a node_modules (a symlink, a workspace) would
// otherwise each find the other's build stale and rebuild at every start.
const cacheDir = join(root, 'node_modules', '.cache', 'leadlift', createHash('sha256').update(root).digest('hex').slice(0, 12));

/** Every process leadlift starts begins at one of these: the CLI, and its worker and child entries. */
const ENTRIES = ['src/cli/main.ts', 'src/model/forest/tree-worker.ts', 'src/jobs/local-sandbox-worker.ts', 'src/bench/bench-child.ts'];

/** What else decides the build's output besides the sources it reads. */
const BUILD_INPUTS = ['tsconfig.json', 'src/boot/build-cache.mjs'];

/** Imports the entry point at `sourceUrl` (one of ENTRIES) and returns its module. */
export async function loadSource(sourceUrl) {
  const path = fileURLToPath(sourceUrl);
  const build = ENTRIES.some((entry) => join(root, entry) === path) ? await compiledBuild() : null;
  if (build) {
    // Stack traces then name the TypeScript files and lines, as they did under tsx.
    process.setSourceMapsEnabled(true);
    return import(pathToFileURL(builtPath(build, root, path)).href);
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import(sourceUrl);
}

async function compiledBuild() {
  const fresh = freshBuild(cacheDir);
  if (fresh) return fresh;
  try {
    // esbuild's own version too, found where Node finds it (an install as a dependency hoists it).
    const esbuild = createRequire(import.meta.url).resolve('esbuild/package.json');
    return await buildInto(cacheDir, root, ENTRIES, [...BUILD_INPUTS.map((input) => join(root, input)), esbuild]);
  } catch {
    return null;
  }
}
