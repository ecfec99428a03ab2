import { describe, expect, it } from 'vitest';
import { neutraliseFormula } from '../../src/cli/formula-cells.js';

// Amounts exported from a CRM often carry grouped thousands; they are numbers, not formulas, and a
// ' before them would turn a column of amounts into text in Excel.
describe('neutraliseFormula and numbers with grouped thousands', () => {
  it('leaves signed grouped numbers alone, whatever the marks', () => {
    for (const n of ['-1,200.50', '-1.200,50', '+1,200', '-12.345.678,9', "-1'200", '-1 200', '-1,234,567', '-1.8', '+3', '-1,8', '-1e-3']) {
      expect(neutraliseFormula(n), n).toBe(n);
    }
  });

  it('still prefixes every formula, also one that begins with a grouped number', () => {
    for (const f of ['-1,200+1', '-1,200.50*A1', '=1,200', '-1,200,5.0', '+1,200.50)', '-1 200 ', '@1,200', '-1,200;=cmd|x']) {
      expect(neutraliseFormula(f), f).toBe(`'${f}`);
    }
  });
});
