import { describe, expect, it } from 'vitest';
import { comparePosition } from '../../../connectors/salesforce/modstamp-cursor.js';

/** Positions order as `ORDER BY SystemModstamp, Id` does in Salesforce: ids case-sensitively. */
describe('comparePosition', () => {
  const at = (lastId: string | null, since = '2026-12-01T10:00:00.000Z') => ({ since, lastId });

  it('orders ids sharing one SystemModstamp as Salesforce does: digits, then capitals, then small letters', () => {
    const ids = ['00Q5g00000aBcDe', '00Q5g00000ABcDe', '00Q5g000009BcDe', '00Q5g00000zBcDe', '00Q5g00000ZBcDe'];
    const sorted = [...ids].sort((a, b) => comparePosition(at(a), at(b)));
    expect(sorted).toEqual(['00Q5g000009BcDe', '00Q5g00000ABcDe', '00Q5g00000ZBcDe', '00Q5g00000aBcDe', '00Q5g00000zBcDe']);
  });

  it('puts time first, and nothing read at a time before any id read at it', () => {
    expect(comparePosition(at('00Qz'), at('00QA', '2026-12-01T10:00:01.000Z'))).toBeLessThan(0);
    expect(comparePosition(at(null), at('00QA'))).toBeLessThan(0);
    expect(comparePosition(at('00QA'), at('00QA'))).toBe(0);
  });
});
