import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/domain/errors.js';
import { type ModelBundle, saveBundle } from '../../src/model/bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-save-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saveBundle when the write fails', () => {
  const bundle = { format: 'leadlift-model' } as unknown as ModelBundle;

  it('says in words what is wrong and which flag to change, not a bare system code', () => {
    const path = join(dir, 'gone', 'm.json');
    let error: unknown;
    try {
      saveBundle(path, bundle, '--output');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`Cannot write the model to ${path}: the folder ${join(dir, 'gone')} does not exist. Create it, or give --output a path in an existing folder.`);
    expect((error as Error).message).not.toContain('ENOENT');
  });

  it('names a folder given where the file should go', () => {
    expect(() => saveBundle(dir, bundle, '--save-model')).toThrow(`Cannot write the model to ${dir}: it is a folder, not a file. Name a file for --save-model.`);
  });
});
