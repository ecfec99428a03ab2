import type { FieldDisplay } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import { optionsForColumns, withoutCustomFieldSuffix } from '../features/custom-field-keys.js';
import type { LoopDeps } from './deps.js';

type FeatureOptions = AppConfig['features'];

/** Longer labels are someone's description pasted in the label box; the column name reads better. */
const MAX_LABEL = 80;

/**
 * The feature options a CRM's model trains with: config `features`, plus the CRM's own field and
 * option labels for the columns being trained on, so a rep reads "Lead Source is Partner
 * Referral" in the words of their own CRM. The manager's configured labels win over the CRM's.
 * Labels are wording only: reading them may fail (missing scope, a network error) and training
 * goes on with the column names, said once in the log.
 */
export async function featureOptionsWithCrmLabels(deps: LoopDeps, columns: readonly string[]): Promise<FeatureOptions> {
  const features = deps.config.features;
  if (!deps.connector.describeLeadFields) return features;
  let described: Record<string, FieldDisplay>;
  try {
    described = await deps.connector.describeLeadFields();
  } catch (err) {
    deps.log?.(`Field labels could not be read from ${deps.connector.crm} (${(err as Error).message}); reasons use the field names.`, 'warn');
    return features;
  }
  return mergeCrmLabels(features, described, columns);
}

export function mergeCrmLabels(configured: FeatureOptions, described: Record<string, FieldDisplay>, columns: readonly string[]): FeatureOptions {
  // Config keys resolved to the columns first ("pdays" -> "pdays__c"), so the manager's labels
  // still win over the CRM's on a Salesforce custom field.
  const features = optionsForColumns(configured, columns);
  const labels: Record<string, string> = {};
  const valueLabels: Record<string, Record<string, string>> = {};
  for (const column of columns) {
    const field = described[column];
    if (!field) continue;
    const label = readable(field.label, column);
    if (label) labels[column] = label;
    const options: Record<string, string> = {};
    for (const [value, optionLabel] of Object.entries(field.options ?? {})) {
      const text = readable(optionLabel, value, 'option');
      if (text) options[value] = text;
    }
    if (Object.keys(options).length > 0) valueLabels[column] = options;
  }
  const mergedValues: Record<string, Record<string, string>> = { ...valueLabels };
  for (const [column, configured] of Object.entries(features.valueLabels)) mergedValues[column] = { ...valueLabels[column], ...configured };
  return { ...features, labels: { ...labels, ...features.labels }, valueLabels: mergedValues };
}

/**
 * A label worth showing: not empty, not too long, not the API name itself and (for a field) not an API name
 * typed into the label box ("emp.var.rate", "Lead_Source__c"), as the sandbox's seeded fields have
 * unless seeded with --labels ("pdays" on pdays__c, "emp.var.rate" on emp_var_rate__c): the
 * column-name wording already makes those readable ("job__c" -> "Job", "emp_var_rate__c" ->
 * "Emp var rate", see columnLabel).
 */
function readable(label: string | undefined, name: string, kind: 'field' | 'option' = 'field'): string | null {
  const text = label?.trim().replace(/\s+/g, ' ') ?? '';
  if (text === '' || text.length > MAX_LABEL) return null;
  // A Salesforce custom field's label is often its name without "__c" ("pdays" for pdays__c).
  if (text === name || text === withoutCustomFieldSuffix(name)) return null;
  // Only a field label can be an API name typed in: an option label is the admin's words for a
  // value, and "Blue-collar" or "Self-employed" are words, not names.
  if (kind === 'field' && /^[\w.\-]+$/.test(text) && /[_.\-]/.test(text)) return null;
  return text;
}
