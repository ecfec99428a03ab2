import Table from 'cli-table3';
import { wholeNumber } from '../domain/counted.js';

/** Plain tables: no colour codes, so the output reads the same piped into a file or a note. */
export function plainTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
}

export const int = wholeNumber;
export const sec = (v: number) => v.toFixed(2);
export const metText = (met: boolean | null) => (met === null ? '' : met ? 'yes' : 'NO');
