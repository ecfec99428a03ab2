import type { NormalisationReport } from '../features/types.js';

const what = { numeric: 'numbers', date: 'dates', boolean: 'yes/no values', categorical: 'categories' } as const;

/**
 * One sentence per column whose type could not read some of its values (a column forced numeric
 * holding text, or new leads written unlike the training file): those cells count as missing,
 * which moves scores, so it is said rather than left to the figures. `scoring`: the type is the
 * model's, so the fix is in the file, not in features.types.
 */
export function unreadableWarnings(report: NormalisationReport, how: { source?: string; scoring?: boolean; columns?: readonly string[] } = {}): string[] {
  return report.columns
    .filter((c) => c.unreadable && (!how.columns || how.columns.includes(c.column)))
    .map((c) => {
      const { count, example } = c.unreadable!;
      const fix = how.scoring
        ? `write them as the training file did`
        : c.typeSource === 'config'
          ? 'fix them in the file, or change features.types'
          : 'fix them in the file';
      return (
        `${how.source ? `${how.source}: ` : ''}column "${c.column}" is ${c.type}, but ${count.toLocaleString('en-US')} of its values cannot be read as ${what[c.type]} ` +
        `(e.g. "${example}"); they count as missing: ${fix}.`
      );
    });
}
