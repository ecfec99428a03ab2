/**
 * The shapes data takes on its way from a CSV or the store to the engine.
 * Raw rows -> Dataset (typed, normalised columns) -> FeatureMatrix (numbers only, column-major).
 */

export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'date';

/** One typed column. Missing values: NaN for numbers/booleans/dates, null for categoricals. */
export type TypedColumn =
  | { name: string; type: 'numeric'; values: Float64Array; decimalMark?: ',' } // "1.200,50"; absent: "." decimals
  | { name: string; type: 'boolean'; values: Float64Array } // 1 true, 0 false, NaN missing
  | { name: string; type: 'date'; values: Float64Array; dateOrder?: 'mdy' | 'dmy' } // epoch milliseconds, NaN missing
  | {
      name: string;
      type: 'categorical';
      values: (string | null)[]; // trimmed, case-folded
      /** Folded value -> the spelling shown to people (the most frequent original one). */
      display?: Record<string, string>;
    };

export interface NormalisationReport {
  /** Per column: what was changed and how many cells it touched. */
  columns: Array<{
    column: string;
    type: ColumnType;
    typeSource: 'inferred' | 'config';
    missing: number;
    placeholdersAsMissing: Record<string, number>; // e.g. {"unknown": 1731, "999": 39673}
    /** Keys of placeholdersAsMissing that are the column's configured sentinels, not placeholders. */
    sentinels?: string[];
    /** Values the column's type cannot read (kept as missing): how many cells, and the first seen. */
    unreadable?: { count: number; example: string };
    /**
     * Numeric columns: the decimal mark the column was read with and why: "plain" (plain numbers
     * only), "values" (only that mark reads them all), "file" (they read either way; the file's
     * other columns settled it), "default" (nothing settled it: "."), "most-values" (a forced
     * type: the mark that reads most), "training" (new leads: the training file's). `example`:
     * a value that is not a plain number, as written.
     */
    decimalMark?: { mark: '.' | ','; by: 'plain' | 'either' | 'values' | 'file' | 'default' | 'most-values' | 'training'; example?: string };
    caseFolded: number; // cells merged into their value's shown spelling by trimming/case-folding (" web", "WEB" -> "Web")
    pooledCategories: string[]; // rare categories pooled into "other"
  }>;
}

export interface Dataset {
  rowCount: number;
  columns: TypedColumn[];
  report: NormalisationReport;
}

export type FeatureKind =
  | 'numeric'
  | 'missing-indicator'
  | 'categorical'
  | 'boolean'
  | 'recency-days'
  | 'hour'
  | 'weekday'
  | 'days-to-month-end';

export interface FeatureDef {
  /** Stable machine name, e.g. "lead_source" or "pdays__missing". */
  name: string;
  /** The dataset column it comes from. */
  source: string;
  kind: FeatureKind;
  /** Human label used in reasons, e.g. "Lead source", "Total time on website". */
  label: string;
  /** For categoricals: category per integer code (code = index). */
  categories?: string[];
  /** For categoricals: how each category is shown to people, same order as `categories`. */
  categoryLabels?: string[];
  /** Unit written after numbers in reasons, e.g. "s". */
  unit?: string;
  /**
   * The label names what the number counts ("Calls in this campaign", config `features.counts`),
   * so its reason gives the number as the label's answer: "Calls in this campaign: 2".
   */
  count?: boolean;
}

/** Numbers only, column-major, NaN = missing. Categorical features hold integer codes. */
export interface FeatureMatrix {
  rows: number;
  defs: FeatureDef[];
  columns: Float64Array[];
  /**
   * Per feature, 1 on the rows whose value was missing although the feature holds a code (a
   * categorical with no missing value on the training rows codes a missing one as "other"),
   * so a reason says the value is unknown rather than "another, less common value". Absent, or
   * undefined for a feature, when there is no such row.
   */
  missingAsOther?: Array<Uint8Array | undefined>;
  /**
   * Per feature, for a categorical one that coded some rows "other" (a value pooled as rare in
   * training, or never seen): each row's own value as people read it, null on the other rows;
   * so a reason can say "Last contact month is sep" where the code only says "another value".
   * Absent or null for every other feature.
   */
  otherValues?: ReadonlyArray<readonly (string | null)[] | null>;
}
