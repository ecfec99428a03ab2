import Table from 'cli-table3';
import type { NormalisationReport } from '../features/types.js';
import { counted } from '../domain/counted.js';
import { parseFormattedNumber } from '../features/parse-number.js';

type ColumnReport = NormalisationReport['columns'][number];

/** Values named in one cell of the table before "…": the counts say the rest. */
const SHOWN = 4;

/** One row per column: the type it was given (and by whom), then every change, compactly. */
export function normalisationTable(report: NormalisationReport): string {
  const table = new Table({ head: ['Column', 'Read as', 'What changed'], style: { head: [], border: [] }, colWidths: [24, 16, 60], wordWrap: true });
  for (const c of report.columns) table.push([c.column, `${c.type}${c.typeSource === 'config' ? ' (config)' : ''}`, changes(c).join('; ') || '-']);
  return table.toString();
}

export function changes(c: ColumnReport): string[] {
  const out: string[] = [];
  if (c.caseFolded > 0) out.push(`${c.caseFolded.toLocaleString('en-US')} cells trimmed/case-folded into their value's most common spelling`);
  const sentinels = new Set(c.sentinels ?? []);
  const unreadableKey = (k: string) => k.startsWith('(not ');
  const entries = Object.entries(c.placeholdersAsMissing);
  const placeholders = entries.filter(([k]) => !sentinels.has(k) && !unreadableKey(k));
  const sentinelled = entries.filter(([k]) => sentinels.has(k));
  if (placeholders.length) out.push(`placeholders read as missing: ${listed(placeholders)}`);
  if (sentinelled.length) out.push(`sentinels read as missing: ${listed(sentinelled)}`);
  const decimal = decimalNote(c);
  if (decimal) out.push(decimal);
  if (c.unreadable) out.push(`${c.unreadable.count.toLocaleString('en-US')} unreadable as ${c.type} (e.g. "${c.unreadable.example}"), read as missing`);
  if (c.pooledCategories.length) {
    const names = c.pooledCategories.slice(0, SHOWN).map((v) => `"${v}"`).join(', ') + (c.pooledCategories.length > SHOWN ? ', …' : '');
    out.push(`${counted(c.pooledCategories.length, 'rare category', 'rare categories')} pooled into "other" (${names})`);
  }
  return out;
}

const markName = { '.': 'decimal point', ',': 'decimal comma' } as const;

/** The decimal mark a numeric column was read with, when it took a decision (not for plain numbers). */
function decimalNote(c: ColumnReport): string | undefined {
  const d = c.decimalMark;
  if (!d || d.by === 'plain' || d.by === 'either' || d.example === undefined) return undefined;
  const read = parseFormattedNumber(d.example, d.mark);
  const e = `"${d.example}" reads ${Number.isNaN(read) ? 'as missing' : String(read)}`;
  const name = markName[d.mark];
  switch (d.by) {
    case 'values':
      return `${name} (e.g. ${e})`;
    case 'file':
      return `${name}, as the file's other number columns are written (e.g. ${e})`;
    case 'default':
      return `${name} assumed: no column shows which mark the file uses (e.g. ${e})`;
    case 'most-values':
      return `${name}, the mark that reads most of its values (e.g. ${e})`;
    case 'training':
      return `${name}, as in the training file (e.g. ${e})`;
  }
}

function listed(entries: Array<[string, number]>): string {
  const shown = entries.slice(0, SHOWN).map(([k, n]) => `${k === '' ? 'empty' : `"${k}"`} x${n.toLocaleString('en-US')}`);
  return shown.join(', ') + (entries.length > SHOWN ? ', …' : '');
}
