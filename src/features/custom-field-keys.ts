import type { DatasetOptions } from './options.js';

/**
 * Salesforce gives every custom field an API name ending in "__c", so a column "pdays" seeded or
 * created there is read back as "pdays__c". One config (`features`) serves every CRM and the CSV
 * tools, so its keys are written as the column is known to people ("pdays"); this lets such a key
 * reach the custom field too, without a second copy of the config per CRM.
 */
export const CUSTOM_FIELD_SUFFIX = '__c';

/** "pdays__c" -> "pdays"; any other name as it is. */
export function withoutCustomFieldSuffix(name: string): string {
  return name.length > CUSTOM_FIELD_SUFFIX.length && name.endsWith(CUSTOM_FIELD_SUFFIX) ? name.slice(0, -CUSTOM_FIELD_SUFFIX.length) : name;
}

/**
 * The column a feature-config key applies to: the key itself when the table has that column, else
 * its custom field (key + "__c") when the table has that and the config does not name it itself
 * (an exact key always wins, so nothing is applied twice or overridden behind the admin's back).
 * Keys that reach no column stay as written, so a mistyped key is still reported as such.
 */
export function keyForColumns(key: string, columns: ReadonlySet<string>, configured: ReadonlySet<string>): string {
  if (columns.has(key)) return key;
  const custom = key + CUSTOM_FIELD_SUFFIX;
  return columns.has(custom) && !configured.has(custom) ? custom : key;
}

function rekeyed<T>(record: Record<string, T>, columns: ReadonlySet<string>): Record<string, T> {
  const configured = new Set(Object.keys(record));
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [keyForColumns(key, columns, configured), value]));
}

function relisted(list: readonly string[], columns: ReadonlySet<string>): string[] {
  const configured = new Set(list);
  return [...new Set(list.map((key) => keyForColumns(key, columns, configured)))];
}

/** Every column-keyed feature option, keyed by the table's own column names (see keyForColumns). */
export function optionsForColumns(options: DatasetOptions, columns: readonly string[]): DatasetOptions {
  const present = new Set(columns);
  return {
    ...options,
    types: rekeyed(options.types, present),
    sentinels: rekeyed(options.sentinels, present),
    labels: rekeyed(options.labels, present),
    valueLabels: rekeyed(options.valueLabels, present),
    units: rekeyed(options.units, present),
    exclude: relisted(options.exclude, present),
    filledAfterOutcome: relisted(options.filledAfterOutcome, present),
  };
}
