import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../src/features/parse-number.js';

describe('parseNumber', () => {
  it('reads plain decimals and exponents', () => {
    expect(parseNumber('42')).toBe(42);
    expect(parseNumber('-1.5')).toBe(-1.5);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('1e-3')).toBe(0.001);
  });

  it('treats ambiguous or unrepresentable text as unreadable', () => {
    expect(parseNumber('1,420')).toBeNaN();
    expect(parseNumber('0x1F')).toBeNaN();
    // Would be Infinity, which a saved model (JSON) cannot hold.
    expect(parseNumber('1e400')).toBeNaN();
  });
});
