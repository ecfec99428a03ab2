import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/domain/errors.js';

const dirs: string[] = [];
function userFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-config-'));
  dirs.push(dir);
  const path = join(dir, 'leadlift.json');
  writeFileSync(path, content);
  return path;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads the defaults: Hot 80 / Warm 50 / Cool 20 / Cold', () => {
    const config = loadConfig({ env: {} });
    expect(config.tiers).toEqual([
      { name: 'Hot', min: 80 },
      { name: 'Warm', min: 50 },
      { name: 'Cool', min: 20 },
      { name: 'Cold', min: 0 },
    ]);
    expect(config.trend.threshold).toBe(5);
    expect(['isotonic', 'platt']).toContain(config.calibration.method);
  });

  it('merges a user file over the defaults key by key, replacing arrays', () => {
    const path = userFile(JSON.stringify({ model: { trees: 7 }, tiers: [{ name: 'A', min: 60 }, { name: 'B', min: 0 }] }));
    const config = loadConfig({ env: { LEADLIFT_CONFIG: path } });
    expect(config.model.trees).toBe(7);
    expect(config.model.minLeaf).toBe(loadConfig({ env: {} }).model.minLeaf);
    expect(config.tiers.map((t) => t.name)).toEqual(['A', 'B']);
  });

  it('names the key of a bad value from the user file', () => {
    const path = userFile(JSON.stringify({ tiers: [{ name: 'Hot', min: 70 }, { name: 'Warm', min: 75 }, { name: 'Cold', min: 0 }] }));
    const err = configError(() => loadConfig({ env: { LEADLIFT_CONFIG: path } }));
    expect(err.key).toBe('tiers[1].min');
    expect(err.message).toContain('must be below tiers[0].min');
    expect(err.exitCode).toBe(2);
  });

  it('reports misspelt keys, wrong types, bad JSON and a missing file', () => {
    expect(configError(() => loadConfig({ env: { LEADLIFT_CONFIG: userFile('{"model":{"tress":10}}') } })).key).toBe('model.tress');
    expect(configError(() => loadConfig({ env: { LEADLIFT_CONFIG: userFile('{"trend":{"threshold":"5"}}') } })).key).toBe('trend.threshold');
    const bad = configError(() => loadConfig({ env: { LEADLIFT_CONFIG: userFile('{"model": ') } }));
    expect(bad.key).toBe('LEADLIFT_CONFIG');
    expect(bad.message).toMatch(/not valid JSON/);
    expect(configError(() => loadConfig({ env: { LEADLIFT_CONFIG: '/no/such/leadlift.json' } })).message).toMatch(/does not exist/);
  });

  it.each([
    ['{"teirs":[]}', 'teirs', 'is not a known setting (did you mean "tiers"?)'],
    ['{"model":{"max_depth":4}}', 'model.max_depth', 'is not a known setting (did you mean "model.maxDepth"?)'],
    ['{"loop":{"minimumHistory":{"conversion":10}}}', 'loop.minimumHistory.conversion', 'is not a known setting (did you mean "loop.minimumHistory.conversions"?)'],
    // Nothing within two letters: no guess.
    ['{"model":{"forestSize":4}}', 'model.forestSize', 'is not a known setting (check the spelling)'],
    // A stray key beside a required one that is absent: the stray key is named, not "min is required".
    ['{"tiers":[{"name":"Hot","mn":80},{"name":"Cold","min":0}]}', 'tiers[0].mn', 'is not a known setting (did you mean "tiers[0].min"?)'],
    ['{"tiers":[{"name":"Hot","min":80},{"name":"Cold","minimum":0}]}', 'tiers[1].minimum', 'is not a known setting (check the spelling; "tiers[1].min" is required beside it)'],
  ])('names the setting a misspelt key most likely meant: %s', (content, key, words) => {
    const path = userFile(content);
    const err = configError(() => loadConfig({ env: { LEADLIFT_CONFIG: path } }));
    expect(err.key).toBe(key);
    expect(err.message).toBe(`Configuration "${key}": ${words} (in ${path} merged over the defaults)`);
  });

  it.each([
    ['{"model":{"trees":"abc"}}', 'model.trees', 'must be a number (it is "abc";'],
    ['{"model":{"trees":2.5}}', 'model.trees', 'must be a whole number (it is 2.5;'],
    ['{"model":{"trees":0}}', 'model.trees', 'must be 1 or more (it is 0;'],
    ['{"evaluation":{"testFraction":1}}', 'evaluation.testFraction', 'must be below 1 (it is 1;'],
    ['{"model":{"engine":"slow"}}', 'model.engine', 'must be fast or ml-random-forest (it is "slow";'],
    ['{"calibration":{"refit":"yes"}}', 'calibration.refit', 'must be true or false (it is "yes";'],
    ['{"features":{"sentinels":{"pdays":"999"}}}', 'features.sentinels.pdays', 'must be a list ([…]) (it is "999";'],
    ['{"model":{"maxFeatures":"all"}}', 'model.maxFeatures', "must be 'sqrt', a positive count or a fraction in (0, 1] (it is \"all\";"],
  ])('words a bad value for a CRM admin, not in zod\'s terms: %s', (content, key, words) => {
    const path = userFile(content);
    const err = configError(() => loadConfig({ env: { LEADLIFT_CONFIG: path } }));
    expect(err.key).toBe(key);
    expect(err.message).toBe(`Configuration "${key}": ${words} in ${path} merged over the defaults)`);
    expect(err.message).not.toMatch(/Expected|received|Invalid|Number must/);
  });

  it('blends the logistic regression at weight 0.5 by default; a weight outside 0-1 or a stray key is refused by name', () => {
    expect(loadConfig({ env: {} }).model.blend).toEqual({ linearWeight: 0.5 });
    expect(loadConfig({ env: {}, overrides: { model: { blend: { linearWeight: 0 } } } }).model.blend.linearWeight).toBe(0);
    const high = configError(() => loadConfig({ env: { LEADLIFT_CONFIG: userFile('{"model":{"blend":{"linearWeight":1.5}}}') } }));
    expect(high.key).toBe('model.blend.linearWeight');
    expect(high.message).toMatch(/between 0 \(forest only\) and 1/);
    expect(configError(() => loadConfig({ env: { LEADLIFT_CONFIG: userFile('{"model":{"blend":{"weight":0.3}}}') } })).key).toBe('model.blend.weight');
  });

  it('lets overrides (CLI flags) win over both files', () => {
    const path = userFile(JSON.stringify({ model: { seed: 3 } }));
    expect(loadConfig({ env: { LEADLIFT_CONFIG: path }, overrides: { model: { seed: 9 } } }).model.seed).toBe(9);
  });
});
