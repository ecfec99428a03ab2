import { withoutCustomFieldSuffix } from './custom-field-keys.js';
import type { DatasetOptions } from './options.js';

/**
 * The words used for a column in reasons: the configured label, else the column name made
 * readable ("day_of_week" -> "Day of week", "leadSource" -> "Lead source"). A Salesforce custom
 * field's "__c" is API syntax, not a word of the field's name ("emp_var_rate__c" -> "Emp var rate").
 */
export function columnLabel(column: string, labels: DatasetOptions['labels']): string {
  const configured = labels[column];
  if (configured) return configured;
  const words = withoutCustomFieldSuffix(column)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.\-\s]+/g, ' ')
    .trim()
    .toLowerCase();
  return words === '' ? column : words[0].toUpperCase() + words.slice(1);
}
