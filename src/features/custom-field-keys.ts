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
 * How a header is compared when no column has a config key's exact name: case, separators and a
 * "__c" do not count, so "PDays", "p_days", "P Days" and "pdays__c" are all "pdays".
 */
export function looseColumnName(name: string): string {
  return withoutCustomFieldSuffix(name).normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The column a feature-config key applies to: the key itself when the table has that column, else
 * its custom field (key + "__c") when the table has that and the config does not name it itself,
 * else the one column whose name differs from the key only in case, separators or "__c" ("pdays"
 * reaches "PDays" or "p_days") and that no key names itself. An exact key always wins, so nothing
 * is applied twice or overridden behind the admin's back. Keys that reach no column (or several
 * alike) stay as written, so a mistyped key is still reported as such (see unmatchedKeys).
 */
export function keyForColumns(key: string, columns: ReadonlySet<string>, configured: ReadonlySet<string>): string {
  if (columns.has(key)) return key;
  const custom = key + CUSTOM_FIELD_SUFFIX;
  if (columns.has(custom) && !configured.has(custom)) return custom;
  const loose = looseColumnName(key);
  const alike = [...columns].filter((c) => !configured.has(c) && looseColumnName(c) === loose);
  return alike.length === 1 ? alike[0] : key;
}

function rekeyed<T>(record: Record<string, T>, columns: ReadonlySet<string>): Record<string, T> {
  const configured = new Set(Object.keys(record));
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(record)) {
    const column = keyForColumns(key, columns, configured);
    // Two keys that reach one column loosely ("pdays" and "p_days" for "PDays"): the first has
    // it; the other stays as written and is reported as reaching no column, never applied over it.
    out[Object.hasOwn(out, column) ? key : column] = value;
  }
  return out;
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
    counts: relisted(options.counts, present),
    exclude: relisted(options.exclude, present),
    filledAfterOutcome: relisted(options.filledAfterOutcome, present),
  };
}

/**
 * Keys of column-keyed options (already passed through optionsForColumns) that name no column of
 * the table, as config paths under `features` ("sentinels.pdays", `filledAfterOutcome "stage"`): they do nothing on this table,
 * which the admin should hear rather than find in the figures. `types` and `exclude` are left
 * out: a key there that names no column is refused (see buildDataset, requireExcludedColumns).
 */
export function unmatchedKeys(options: DatasetOptions, columns: readonly string[]): string[] {
  const present = new Set(columns);
  const out: string[] = [];
  for (const section of ['sentinels', 'labels', 'valueLabels', 'units'] as const) {
    for (const key of Object.keys(options[section])) if (!present.has(key)) out.push(`${section}.${key}`);
  }
  for (const key of options.filledAfterOutcome) if (!present.has(key)) out.push(`filledAfterOutcome "${key}"`);
  for (const key of options.counts) if (!present.has(key)) out.push(`counts "${key}"`);
  return out;
}
