import { describe, expect, it } from 'vitest';
import { inferDateOrder, parseDate } from '../../src/features/parse-date.js';

describe('parseDate', () => {
  it.each([
    ['2024-03-05', Date.UTC(2024, 2, 5)],
    ['2024-03-05T14:30:00Z', Date.UTC(2024, 2, 5, 14, 30)],
    ['2024-03-05T14:30:00.250+02:00', Date.UTC(2024, 2, 5, 12, 30, 0, 250)],
    ['2024-03-05 14:30', Date.UTC(2024, 2, 5, 14, 30)],
    ['2024/03/05', Date.UTC(2024, 2, 5)],
    ['3/5/2024', Date.UTC(2024, 2, 5)],
    ['03/05/24 2:15 pm', Date.UTC(2024, 2, 5, 14, 15)],
    ['5 Mar 2024', Date.UTC(2024, 2, 5)],
    ['05-Mar-2024', Date.UTC(2024, 2, 5)],
    ['March 5, 2024', Date.UTC(2024, 2, 5)],
    ['Sept 30 2024 09:00', Date.UTC(2024, 8, 30, 9)],
  ])('reads %s', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it('reads day-first when told', () => {
    expect(parseDate('05.03.2024', 'dmy')).toBe(Date.UTC(2024, 2, 5));
  });

  it.each(['2024-02-30', '13/13/2024', 'Marchy 5, 2024', '2024', 'soon', '2024-03-05T25:00'])('rejects %s', (text) => {
    expect(parseDate(text)).toBeNaN();
  });

  it('infers day-first only when a first part exceeds 12', () => {
    expect(inferDateOrder(['01/02/2024', '25/02/2024'])).toBe('dmy');
    expect(inferDateOrder(['01/02/2024', '02/25/2024'])).toBe('mdy');
  });
});
