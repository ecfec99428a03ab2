// A compiled copy of the TypeScript sources, kept under node_modules/.cache and rebuilt when a
// source changes. Plain JS because it runs before anything can load TypeScript.
//
// Why: tsx compiles each file on load and routes every import, the SDKs' hundreds of files too,
// through its loader hooks; that cost 3-4 s of CPU at each start of the CLI or a worker. One esbuild
// pass over the app takes about half a second and a start from its output a fraction of tsx's.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Bump when what a build holds changes shape, so older caches are rebuilt rather than trusted. */
const FORMAT = 1;
const POINTER = 'current.json';
/** Superseded builds kept a while: a process started on one still loads its lazy chunks from it. */
const KEEP_SUPERSEDED_MS = 60 * 60_000;

/**
 * Where a source file stands now. mtime and size both: an editor that writes the same size in the
 * same millisecond is the only change this misses.
 */
function stamp(path) {
  const s = statSync(path);
  return `${s.mtimeMs}:${s.size}`;
}

/** The build directory of a cache whose recorded inputs are all unchanged, else null. */
export function freshBuild(cacheDir) {
  let pointer;
  try {
    pointer = JSON.parse(readFileSync(join(cacheDir, POINTER), 'utf8'));
  } catch {
    return null;
  }
  if (pointer?.format !== FORMAT || typeof pointer.dir !== 'string' || typeof pointer.inputs !== 'object') return null;
  try {
    for (const [path, was] of Object.entries(pointer.inputs)) if (stamp(path) !== was) return null;
  } catch {
    return null; // a source was removed or renamed
  }
  return join(cacheDir, pointer.dir);
}

/**
 * Compiles `entries` (paths relative to `root`) and what they import into a new build directory,
 * then points the cache at it. Packages stay external: they are plain JS already and load from
 * node_modules as before. Concurrent builds are safe: each writes its own directory and the
 * pointer is replaced whole.
 */
export async function buildInto(cacheDir, root, entries, extraInputs = []) {
  const esbuild = await import('esbuild');
  const inputs = {};
  for (const path of extraInputs) inputs[path] = stamp(path);
  const name = `b-${Date.now().toString(36)}-${process.pid}`;
  const outdir = join(cacheDir, name);
  mkdirSync(cacheDir, { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries,
    outbase: root,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Error classes are told apart by name in places (and in logs); bundling must not rename them.
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'silent',
    plugins: [sourceLocations(inputs)],
  });
  const pointer = { format: FORMAT, dir: name, inputs };
  const temp = join(cacheDir, `${POINTER}.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify(pointer));
  renameSync(temp, join(cacheDir, POINTER));
  pruneSuperseded(cacheDir, name);
  return outdir;
}

/**
 * Each module keeps its own import.meta.url, as it had under tsx: files find config/, the manifest,
 * the admin page's assets and their worker entries relative to where their source lives, not to
 * the bundle. Also records the stamp each source had when it was read, so an edit made while the
 * build runs leaves the build stale rather than wrongly fresh.
 */
function sourceLocations(inputs) {
  return {
    name: 'leadlift-source-locations',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
        inputs[args.path] = stamp(args.path);
        const text = await readFile(args.path, 'utf8');
        return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
      });
    },
  };
}

function pruneSuperseded(cacheDir, current) {
  for (const entry of readdirSync(cacheDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === current || !entry.name.startsWith('b-')) continue;
    const dir = join(cacheDir, entry.name);
    try {
      if (Date.now() - statSync(dir).mtimeMs > KEEP_SUPERSEDED_MS) rmSync(dir, { recursive: true, force: true });
    } catch {
      // another process pruned it first
    }
  }
}

/** `path` (absolute, under `root`) as the same path inside a build directory, with .js for .ts. */
export function builtPath(buildDir, root, path) {
  const rel = relative(root, resolve(path));
  if (rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`${path} is outside ${root}`);
  return join(buildDir, rel.replace(/\.[cm]?ts$/, '.js'));
}
