import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStateFile } from '../../connectors/sandbox/state-file.js';
import { InputError } from '../../src/domain/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-state-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stateFile = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('a sandbox state file JSON cannot read', () => {
  it('cut short (a copy that did not finish, a full disk) is said so, with what to do', async () => {
    const path = stateFile('cut.json', '{"format":"leadlift-sandbox-state","version":1,"hidden":{"hubspot":[["1","won"]');
    const read = readStateFile(path);
    await expect(read).rejects.toBeInstanceOf(InputError);
    await expect(read).rejects.toThrowError(
      `Sandbox state file ${path} is cut short: its JSON stops before its end (a copy that did not finish, or a full disk?); move it away (or delete it) to start from a fresh sandbox.`,
    );
  });

  it('broken inside names the line and column in plain words, not JSON.parse\'s text', async () => {
    const path = stateFile('edited.json', '{\n  "format": "leadlift-sandbox-state",\n  "version": 1 x\n}\n');
    await expect(readStateFile(path)).rejects.toThrowError(
      `Sandbox state file ${path} is not valid JSON: line 3, column 16: a character JSON does not allow here (a word without quotes?); move it away (or delete it) to start from a fresh sandbox.`,
    );
  });

  it('an empty file says it is empty', async () => {
    const path = stateFile('empty.json', '');
    await expect(readStateFile(path)).rejects.toThrowError(`Sandbox state file ${path} is not valid JSON: the file is empty; move it away (or delete it) to start from a fresh sandbox.`);
  });
});
