import { z } from 'zod';
import { ConfigError } from '../domain/errors.js';
import { issueWords } from '../config/issue-words.js';

/**
 * How a lead table is read, cleaned and guarded before features are built. Every key has a
 * default, so `datasetOptionsSchema.parse({})` is a working configuration; the app's config
 * nests this object under `features`.
 *
 * Keys (all optional):
 * - `types`: column -> "numeric" | "categorical" | "boolean" | "date", overriding inference.
 * - `placeholders`: cell texts that mean "no value" (compared trimmed, case-insensitive).
 * - `sentinels`: column -> values that mean "no value" in that column only, e.g. {"pdays": [999]}.
 * - `rarePooling`: categories seen on fewer than `minCount` training rows, or on less than
 *   `minShare` of them, are pooled into "other".
 * - `labels`: column -> human label used in reasons, e.g. {"lead_source": "Lead source"}.
 * - `valueLabels`: column -> stored value -> the words shown for it in reasons, e.g.
 *   {"hs_analytics_source": {"ORGANIC_SEARCH": "Organic search"}} (values matched trimmed and
 *   case-insensitive, as categories are folded).
 * - `units`: column -> unit shown after numbers in reasons, e.g. {"time_on_site": "s"}.
 * - `counts`: columns whose label names what the number counts ("Calls in this campaign"): their
 *   reasons read "Calls in this campaign: 2", where "… is 2" would read as broken English.
 * - `exclude`: columns never used as features (the CLI's --exclude adds to it).
 * - `filledAfterOutcome`: columns known to be written after the outcome (status, stage, call
 *   duration); always excluded, reported as such.
 * - `leakageAucBound`: a column whose single-feature AUC on training rows exceeds this is
 *   excluded as a likely leak.
 * - `reasonGroupCorrelation`: numeric columns correlated at least this much (|Pearson r| on the
 *   training rows) share one reason with their net effect; null = one reason per column.
 */
export const columnTypeSchema = z.enum(['numeric', 'categorical', 'boolean', 'date']);

export const datasetOptionsSchema = z
  .object({
    types: z.record(columnTypeSchema).default({}),
    placeholders: z
      .array(z.string())
      .default(['select', 'unknown', '', 'n/a', 'na', '-', 'null', 'none', '#n/a']),
    sentinels: z.record(z.array(z.union([z.number(), z.string()]))).default({}),
    rarePooling: z
      .object({
        minCount: z.number().int().min(0).default(20),
        minShare: z.number().min(0).lt(1).default(0.001),
      })
      .strict()
      .default({}),
    labels: z.record(z.string().min(1)).default({}),
    valueLabels: z.record(z.record(z.string().min(1))).default({}),
    units: z.record(z.string()).default({}),
    counts: z.array(z.string()).default([]),
    exclude: z.array(z.string()).default([]),
    filledAfterOutcome: z.array(z.string()).default([]),
    leakageAucBound: z.number().gt(0.5).max(1).default(0.9),
    reasonGroupCorrelation: z.number().gt(0, 'must be a correlation in (0, 1], or null (off)').max(1, 'must be a correlation in (0, 1], or null (off)').nullable().default(0.9),
  })
  .strict();

/** What callers may pass (every key optional). */
export type DatasetOptionsInput = z.input<typeof datasetOptionsSchema>;
/** After defaults are applied. */
export type DatasetOptions = z.output<typeof datasetOptionsSchema>;

/** Validates options, turning the first problem into a ConfigError that names the key. */
export function parseDatasetOptions(input: unknown, keyPrefix = 'features'): DatasetOptions {
  const result = datasetOptionsSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = [keyPrefix, ...issue.path].filter((p) => p !== '').join('.');
  throw new ConfigError(key, issueWords(issue));
}
