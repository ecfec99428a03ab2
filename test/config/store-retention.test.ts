import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/domain/errors.js';

const retention = (value: Record<string, unknown>) => loadConfig({ env: {}, overrides: { store: { retention: value } } }).store.retention;

function errorOf(value: Record<string, unknown>): Error {
  try {
    retention(value);
  } catch (err) {
    return err as Error;
  }
  throw new Error('no error');
}

describe('config store.retention', () => {
  it('defaults to a year of scores, 90 days of snapshots and runs, and 5 rollback targets', () => {
    expect(loadConfig({ env: {} }).store.retention).toEqual({ scoresDays: 365, snapshotsDays: 90, runsDays: 90, keepModels: 5 });
    // Defaults without a `store` section (as before retention existed) get the same from the schema.
    const dir = mkdtempSync(join(tmpdir(), 'leadlift-retention-'));
    try {
      const { store: _, ...older } = JSON.parse(readFileSync(defaultConfigPath, 'utf8'));
      writeFileSync(join(dir, 'default.json'), JSON.stringify(older));
      expect(loadConfig({ env: {}, defaultsPath: join(dir, 'default.json') }).store.retention).toEqual({ scoresDays: 365, snapshotsDays: 90, runsDays: 90, keepModels: 5 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts other values, and null to keep that history for ever', () => {
    expect(retention({ scoresDays: 30, snapshotsDays: null, runsDays: 7, keepModels: 0 })).toEqual({ scoresDays: 30, snapshotsDays: null, runsDays: 7, keepModels: 0 });
    expect(retention({ keepModels: null }).keepModels).toBeNull();
  });

  it.each([
    [{ scoresDays: 0 }, 'store.retention.scoresDays', /whole number of days \(at least 1\), or null to keep every score for ever/],
    [{ snapshotsDays: -5 }, 'store.retention.snapshotsDays', /or null to keep every snapshot for ever/],
    [{ runsDays: 1.5 }, 'store.retention.runsDays', /whole number of days/],
    [{ scoresDays: '365' }, 'store.retention.scoresDays', /whole number of days/],
    [{ keepModels: -1 }, 'store.retention.keepModels', /earlier models to keep as rollback targets \(0 or more\), or null to keep every model/],
    [{ keepModels: 'all' }, 'store.retention.keepModels', /rollback targets/],
  ])('refuses %j with an error naming %s', (value, key, problem) => {
    const error = errorOf(value);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect(error.message).toContain(`Configuration "${key}"`);
    expect(error.message).toMatch(problem);
  });

  it('names a misspelt key instead of ignoring it', () => {
    const error = errorOf({ scoreDays: 30 });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/store\.retention/);
    expect(error.message).toMatch(/scoreDays/);
  });
});
