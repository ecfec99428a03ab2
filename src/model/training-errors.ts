import { InputError } from '../domain/errors.js';

/** A column left out of training and why, as `evaluate --json` lists it. */
export interface ExcludedColumn {
  column: string;
  reason: string;
}

/** At most this many exclusions are spelled out in the message (all are on `excluded`). */
const LISTED = 40;

/**
 * Nothing is left to learn from. Said with every column left out and why, as evaluate lists
 * them: "every column was excluded" alone leaves the admin guessing which rule took which field.
 */
export class NoFeaturesError extends InputError {
  readonly excluded: readonly ExcludedColumn[];
  constructor(excluded: readonly ExcludedColumn[]) {
    const listed = excluded.slice(0, LISTED).map((e) => `${e.column} (${e.reason})`);
    const more = excluded.length > LISTED ? `; and ${excluded.length - LISTED} more` : '';
    super(
      excluded.length === 0
        ? 'No features to train on: every column was excluded or unusable (the data has no columns besides the outcome, order and id).'
        : `No features to train on: every column was excluded or unusable. Excluded: ${listed.join('; ')}${more}.`,
    );
    this.excluded = excluded;
  }
}

/** Every training row converted, or none did; `hint` says what decides the outcomes (a CRM's settings). */
export class SameOutcomeError extends InputError {
  readonly allConverted: boolean;
  constructor(allConverted: boolean, hint?: string) {
    super(`Every training row has the same outcome (${allConverted ? 'all converted' : 'none converted'}); a model needs both converted and unconverted leads.${hint ? ` ${hint}` : ''}`);
    this.allConverted = allConverted;
  }
}
