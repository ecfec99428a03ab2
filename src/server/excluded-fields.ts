import { CREATED_COLUMN } from '../jobs/training-set.js';

/** A field the model went without, as the Model page lists it. */
export interface ExcludedField {
  column: string;
  reason: string;
  /** Set for a column leadlift added itself, which no CRM admin would find by its name. */
  label?: string;
}

/**
 * The loop orders closed leads by their CRM creation date in a column of its own, and training
 * words that column as the CLI's `--order` column: a flag and a name the admin never set. Models
 * already stored carry those words, so they are replaced here, where they are shown, not at training.
 */
export function excludedFields(excluded: ReadonlyArray<{ column: string; reason: string }>): ExcludedField[] {
  return excluded.map((e) =>
    e.column === CREATED_COLUMN ? { column: e.column, label: 'Created date', reason: 'used only to order leads in time for the evaluation, never as an input' } : { column: e.column, reason: e.reason },
  );
}
