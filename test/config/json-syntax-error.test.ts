import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonSyntaxError } from '../../src/config/json-syntax-error.js';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/domain/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'leadlift-json-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a LEADLIFT_CONFIG file JSON cannot read', () => {
  it('is named with the line and column of the first fault, in words, on one line', () => {
    const path = join(dir, 'typo.json');
    // The trailing comma an admin leaves after the last tier.
    writeFileSync(path, '{\n  "tiers": [\n    { "name": "Hot", "min": 80 },\n    { "name": "Cold", "min": 0 },\n  ]\n}\n');
    let err: unknown;
    try {
      loadConfig({ env: { LEADLIFT_CONFIG: path } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as ConfigError).message;
    expect(message).toContain(`file "${path}" is not valid JSON: line 5, column 3: a value was expected (a comma after the last entry?)`);
    expect(message).not.toMatch(/\n/);
    expect(message.match(/not valid JSON/g)).toHaveLength(1);
  });

  it('places other common faults', () => {
    expect(jsonSyntaxError('{"a": 1 "b": 2}')).toBe('line 1, column 9: a "," was expected between entries');
    expect(jsonSyntaxError('{\n"a": tru\n}')).toBe('line 2, column 6: a character JSON does not allow here (a word without quotes?)');
    expect(jsonSyntaxError('{"a": 1')).toMatch(/^line 1, column 8: a "}" was expected/);
    expect(jsonSyntaxError('{"a": 1} // note')).toMatch(/comment/);
    expect(jsonSyntaxError('  \n')).toBe('the file is empty');
    expect(jsonSyntaxError('{"a": [1, 2]}')).toBeNull();
  });
});
