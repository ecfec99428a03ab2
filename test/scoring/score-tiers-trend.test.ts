import { describe, expect, it } from 'vitest';
import { scoreFromProbability } from '../../src/scoring/score.js';
import { parseTiers, tierFor } from '../../src/scoring/tiers.js';
import { trendOf } from '../../src/scoring/trend.js';
import { ConfigError } from '../../src/domain/errors.js';

const tiers = parseTiers([
  { name: 'Hot', min: 80 },
  { name: 'Warm', min: 50 },
  { name: 'Cool', min: 20 },
  { name: 'Cold', min: 0 },
]);

describe('score', () => {
  it('is the calibrated probability in percent, rounded down', () => {
    expect(scoreFromProbability(0.8)).toBe(80);
    expect(scoreFromProbability(0.7999)).toBe(79);
    expect(scoreFromProbability(0.29)).toBe(29);
    expect(scoreFromProbability(1)).toBe(100);
    expect(scoreFromProbability(0)).toBe(0);
    expect(scoreFromProbability(NaN)).toBe(0);
  });
});

describe('tiers', () => {
  it('assigns tiers at the boundaries', () => {
    expect(tierFor(100, tiers)).toBe('Hot');
    expect(tierFor(80, tiers)).toBe('Hot');
    expect(tierFor(79, tiers)).toBe('Warm');
    expect(tierFor(50, tiers)).toBe('Warm');
    expect(tierFor(49, tiers)).toBe('Cool');
    expect(tierFor(20, tiers)).toBe('Cool');
    expect(tierFor(19, tiers)).toBe('Cold');
    expect(tierFor(0, tiers)).toBe('Cold');
  });

  const bad = (value: unknown): ConfigError => {
    try {
      parseTiers(value);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return err as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };

  it('rejects thresholds out of order, naming the key', () => {
    const err = bad([{ name: 'Hot', min: 50 }, { name: 'Warm', min: 60 }, { name: 'Cold', min: 0 }]);
    expect(err.key).toBe('tiers[1].min');
    expect(err.message).toMatch(/^Configuration "tiers\[1\]\.min": must be below tiers\[0\]\.min/);
  });

  it('rejects an empty tier list with its own message, not a crash', () => {
    expect(bad([]).message).toMatch(/must list at least one tier/);
  });

  it('rejects thresholds outside 0-100', () => {
    expect(bad([{ name: 'Hot', min: 120 }, { name: 'Cold', min: 0 }]).key).toBe('tiers[0].min');
    expect(bad([{ name: 'Hot', min: 50 }, { name: 'Cold', min: -5 }]).key).toBe('tiers[1].min');
  });

  it('rejects duplicate names (case-insensitive) and a lowest tier above 0', () => {
    const dup = bad([{ name: 'Hot', min: 80 }, { name: 'hot', min: 40 }, { name: 'Cold', min: 0 }]);
    expect(dup.key).toBe('tiers[1].name');
    expect(dup.message).toMatch(/unique/);
    expect(bad([{ name: 'Hot', min: 80 }, { name: 'Warm', min: 40 }]).key).toBe('tiers[1].min');
    expect(bad([{ name: 'Hot', min: 80, colour: 'red' }, { name: 'Cold', min: 0 }]).key).toBe('tiers[0].colour');
  });
});

describe('trend', () => {
  it('is up/down only for moves of at least the threshold', () => {
    expect(trendOf(40, 45)).toBe('up');
    expect(trendOf(40, 44)).toBe('steady');
    expect(trendOf(40, 36)).toBe('steady');
    expect(trendOf(40, 35)).toBe('down');
    expect(trendOf(40, 50, 15)).toBe('steady');
    expect(trendOf(null, 50)).toBeNull();
  });
});
