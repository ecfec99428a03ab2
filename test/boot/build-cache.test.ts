import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module without types: it runs before TypeScript can load
import { buildInto, builtPath, freshBuild } from '../../src/boot/build-cache.mjs';

const root = mkdtempSync(join(tmpdir(), 'leadlift-build-cache-'));
const cacheDir = join(root, 'cache');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

write('entry.ts', `export { where, edited, Failure, fail } from './where.js';\nexport { Failure as OtherFailure } from './other.js';\nexport const later = () => import('./later.js');\n`);
const where = write('where.ts', `export const where: string = import.meta.url;\nexport const edited = false;\nexport class Failure extends Error {}\nexport function fail(): never {\n  throw new Failure('here');\n}\n`);
write('other.ts', `export class Failure extends Error {}\n`);
write('later.ts', `export class Failure extends Error {}\nexport const name = Failure.name;\n`);

describe('the compiled copy of the sources', () => {
  it('keeps each module its own source location and its class names, lazy imports included', async () => {
    const dir: string = await buildInto(cacheDir, root, ['entry.ts'], []);
    expect(freshBuild(cacheDir)).toBe(dir);
    const built = await import(pathToFileURL(builtPath(dir, root, join(root, 'entry.ts'))).href);
    // Files find config/ and their worker entries relative to their source, not to the bundle.
    expect(built.where).toBe(pathToFileURL(where).href);
    // Two classes of one name in one bundle: esbuild renames one unless told to keep names.
    expect(new built.Failure().constructor.name).toBe('Failure');
    expect(new built.OtherFailure().constructor.name).toBe('Failure');
    expect((await built.later()).name).toBe('Failure');
  });

  it('is stale once a source it read changes or goes, and a rebuild serves the new source', async () => {
    const first: string = freshBuild(cacheDir);
    expect(first).not.toBeNull();
    appendFileSync(where, `// edited\n`);
    writeFileSync(where, readFileSync(where, 'utf8').replace('edited = false', 'edited = true'));
    expect(freshBuild(cacheDir)).toBeNull();

    const second: string = await buildInto(cacheDir, root, ['entry.ts'], []);
    expect(second).not.toBe(first);
    expect(freshBuild(cacheDir)).toBe(second);
    const entry = await import(pathToFileURL(builtPath(second, root, join(root, 'entry.ts'))).href);
    expect(entry.edited).toBe(true);

    rmSync(join(root, 'later.ts'));
    expect(freshBuild(cacheDir)).toBeNull();
    write('later.ts', `export class Failure extends Error {}\nexport const name = Failure.name;\n`);
  });

  it('counts the extra inputs it is given, and trusts no pointer it cannot read', async () => {
    const config = write('tsconfig.json', '{}');
    await buildInto(cacheDir, root, ['entry.ts'], [config]);
    expect(freshBuild(cacheDir)).not.toBeNull();
    writeFileSync(config, '{"compilerOptions":{}}');
    expect(freshBuild(cacheDir)).toBeNull();

    writeFileSync(join(cacheDir, 'current.json'), '{"format":1,');
    expect(freshBuild(cacheDir)).toBeNull();
    expect(freshBuild(join(root, 'no-such-cache'))).toBeNull();
    expect(existsSync(join(root, 'no-such-cache'))).toBe(false);
  });

  it('maps a stack trace back to the TypeScript source and line', async () => {
    const dir: string = await buildInto(cacheDir, root, ['entry.ts'], []);
    const built = pathToFileURL(builtPath(dir, root, join(root, 'entry.ts'))).href;
    const script = `process.setSourceMapsEnabled(true); const m = await import(${JSON.stringify(built)}); try { m.fail(); } catch (e) { console.log(e.stack); }`;
    const stack = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(stack).toContain(`${where}:5:`);
  });

  it('refuses a path outside the sources it compiled', () => {
    expect(() => builtPath(cacheDir, root, join(root, '..', 'elsewhere.ts'))).toThrow(/outside/);
  });
});
