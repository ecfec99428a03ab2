import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/domain/errors.js';

describe('config scoring.referenceMaxAgeHours', () => {
  it('defaults to 24 and accepts hours or null', () => {
    expect(loadConfig({ env: {} }).scoring.referenceMaxAgeHours).toBe(24);
    expect(loadConfig({ env: {}, overrides: { scoring: { referenceMaxAgeHours: 6 } } }).scoring.referenceMaxAgeHours).toBe(6);
    expect(loadConfig({ env: {}, overrides: { scoring: { referenceMaxAgeHours: null } } }).scoring.referenceMaxAgeHours).toBeNull();
  });

  it.each([0, -1, '24'])('refuses %j with an error naming the key', (value) => {
    let error: unknown;
    try {
      loadConfig({ env: {}, overrides: { scoring: { referenceMaxAgeHours: value } } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/scoring\.referenceMaxAgeHours/);
    expect((error as Error).message).toMatch(/above 0, or null/);
  });
});
