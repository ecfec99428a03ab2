import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/domain/errors.js';

function configFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'leadlift-others-')), 'leadlift.json');
  writeFileSync(path, content);
  return path;
}

function errorOf(content: string): ConfigError {
  try {
    loadConfig({ env: { LEADLIFT_CONFIG: configFile(content) } });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config reasons.others', () => {
  it('defaults to 3 points and accepts 0 (whenever not 0) and null (never)', () => {
    expect(loadConfig({ env: {} }).reasons).toEqual({ for: 3, against: 2, others: 3 });
    expect(loadConfig({ env: {}, overrides: { reasons: { others: 0 } } }).reasons.others).toBe(0);
    expect(loadConfig({ env: {}, overrides: { reasons: { others: null } } }).reasons.others).toBeNull();
  });

  it.each([-1, 2.5, 101, '3'])('refuses %j, naming the key and what it takes', (value) => {
    const err = errorOf(JSON.stringify({ reasons: { others: value } }));
    expect(err.key).toBe('reasons.others');
    expect(err.message).toMatch(/whole number of score points from 0 to 100, or null/);
  });

  it('names it for a misspelt key', () => {
    expect(errorOf('{"reasons":{"other":5}}').message).toMatch(/did you mean "reasons\.others"\?/);
  });
});
