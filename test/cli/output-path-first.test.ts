import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-output-first-');

/**
 * Runs the CLI with a module hook that lists every module it loads, so a test can say the
 * forest engine (ml-random-forest, loaded with the model code) never loaded.
 */
function runListingModules(args: string[]): { status: number | null; stderr: string; stdout: string; loaded: string } {
  const log = join(ws.dir, `loaded-${args[0]}.txt`);
  const hook = join(ws.dir, 'list-modules.mjs');
  const loader = `import { appendFileSync } from 'node:fs'; export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }`;
  writeFileSync(hook, `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(loader)}`)});\n`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, ws.bin, ...args], { encoding: 'utf8', env: ws.env });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, loaded: existsSync(log) ? readFileSync(log, 'utf8') : '' };
}

describe('the output path, checked before the heavy modules load', () => {
  it('score --output in a missing folder exits 2 naming it, before the model code loads', () => {
    const output = join(ws.dir, 'no-such-folder', 'scored.csv');
    const r = runListingModules(['score', '--input', ws.csv, '--model', join(ws.dir, 'model.json'), '--output', output]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Cannot write ${output}: the folder ${join(ws.dir, 'no-such-folder')} does not exist.`);
    expect(r.loaded).toContain('commander');
    expect(r.loaded).not.toContain('ml-random-forest');
  });

  it('evaluate --save-model in a missing folder exits 2 naming it, before the engines load', () => {
    const output = join(ws.dir, 'missing', 'm.json');
    const r = runListingModules(['evaluate', '--input', ws.csv, '--label', 'converted', '--save-model', output, '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Cannot write ${output}: the folder ${join(ws.dir, 'missing')} does not exist. Create it, or give --save-model a path in an existing folder.`);
    expect(r.loaded).toContain('commander');
    expect(r.loaded).not.toContain('ml-random-forest');
    expect(r.stdout).toBe('');
  });

  it('train --output in a missing folder exits 2 naming it, before the engines load', () => {
    const output = join(ws.dir, 'gone', 'model.json');
    const r = runListingModules(['train', '--input', ws.csv, '--label', 'converted', '--output', output]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Cannot write ${output}: the folder ${join(ws.dir, 'gone')} does not exist.`);
    expect(r.loaded).toContain('commander');
    expect(r.loaded).not.toContain('ml-random-forest');
  });

  it('evaluate --save-model under a file, not a folder, exits 2 before training', () => {
    const output = join(ws.csv, 'm.json');
    const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'id', '--save-model', output, '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Cannot write ${output}: ${ws.csv} is not a folder. Give --save-model a path in an existing folder.`);
    expect(r.stderr).not.toContain('Training trees');
    expect(r.stdout).toBe('');
  });

  // root writes anywhere, so a folder without write permission stops nobody there.
  it.skipIf(process.getuid?.() === 0)('score --output in a folder without write permission exits 2 before scoring', () => {
    const folder = join(ws.dir, 'read-only');
    mkdirSync(folder);
    chmodSync(folder, 0o500);
    const output = join(folder, 'scored.csv');
    const r = ws.run(['score', '--input', ws.csv, '--model', join(ws.dir, 'model.json'), '--output', output]);
    chmodSync(folder, 0o700);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Cannot write ${output}: no permission to write there (folder ${folder}). Give --output a folder you can write to`);
  });
});
