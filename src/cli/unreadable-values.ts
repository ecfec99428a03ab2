import type { NormalisationReport } from '../features/types.js';

/**
 * One sentence per column whose type could not read some of its values (a column forced numeric
 * holding text, or new leads written unlike the training file): those cells score as missing,
 * which changes scores, so it is said rather than left to the figures.
 */
export function unreadableWarnings(report: NormalisationReport, source?: string): string[] {
  const what = { numeric: 'numbers', date: 'dates', boolean: 'yes/no values', categorical: 'categories' } as const;
  return report.columns
    .filter((c) => c.unreadable)
    .map(
      (c) =>
        `${source ? `${source}: ` : ''}column "${c.column}" is ${c.type}, but ${c.unreadable!.count.toLocaleString('en-US')} of its values cannot be read as ${what[c.type]} ` +
        `(e.g. "${c.unreadable!.example}"); they count as missing. Fix them in the file${c.typeSource === 'config' ? ', or change features.types' : ''}.`,
    );
}
