import { describe, expect, it } from 'vitest';
import { inferType } from '../../src/features/infer-type.js';

describe('inferType hands over what it decided, so normalisation does not decide it again', () => {
  it('a numeric column comes with its decimal mark and why', () => {
    expect(inferType(['42', '-1.5'])).toEqual({ type: 'numeric', decimal: { mark: '.', by: 'plain' } });
    expect(inferType(['1,5', '1.200,25'])).toEqual({ type: 'numeric', decimal: { mark: ',', by: 'values' } });
    expect(inferType(['1,200', '$500'], () => ',')).toEqual({ type: 'numeric', decimal: { mark: ',', by: 'file' } });
    expect(inferType(['1,200', '$500'])).toEqual({ type: 'numeric', decimal: { mark: '.', by: 'default' } });
  });

  it('a date column comes with its day/month order', () => {
    expect(inferType(['25/03/2024', '01/04/2024'])).toEqual({ type: 'date', dateOrder: 'dmy' });
    expect(inferType(['yes', 'no'])).toEqual({ type: 'boolean' });
    expect(inferType(['web', 'ads'])).toEqual({ type: 'categorical' });
  });
});
