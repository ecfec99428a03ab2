import Table from 'cli-table3';
import type { NormalisationReport } from '../features/types.js';
import { counted } from '../domain/counted.js';

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
  if (c.unreadable) out.push(`${c.unreadable.count.toLocaleString('en-US')} unreadable as ${c.type} (e.g. "${c.unreadable.example}"), read as missing`);
  if (c.pooledCategories.length) {
    const names = c.pooledCategories.slice(0, SHOWN).map((v) => `"${v}"`).join(', ') + (c.pooledCategories.length > SHOWN ? ', …' : '');
    out.push(`${counted(c.pooledCategories.length, 'rare category', 'rare categories')} pooled into "other" (${names})`);
  }
  return out;
}

function listed(entries: Array<[string, number]>): string {
  const shown = entries.slice(0, SHOWN).map(([k, n]) => `${k === '' ? 'empty' : `"${k}"`} x${n.toLocaleString('en-US')}`);
  return shown.join(', ') + (entries.length > SHOWN ? ', …' : '');
}
