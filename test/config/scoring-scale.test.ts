import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/domain/errors.js';

describe('config scoring.scale', () => {
  it("defaults to 'rank' and accepts 'probability'", () => {
    expect(loadConfig({ env: {} }).scoring.scale).toBe('rank');
    expect(loadConfig({ env: {}, overrides: { scoring: { scale: 'probability' } } }).scoring.scale).toBe('probability');
  });

  it('refuses any other value with an error naming the key', () => {
    let error: unknown;
    try {
      loadConfig({ env: {}, overrides: { scoring: { scale: 'percentile' } } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/scoring\.scale/);
    expect((error as Error).message).toMatch(/'rank'.*'probability'/);
  });
});
