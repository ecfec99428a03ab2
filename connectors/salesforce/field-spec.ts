import type { ScoreFieldSpec } from '../types.js';
import { optionLabel, type Manifest, type ManifestField } from '../../src/domain/manifest.js';
import { InputError } from '../../src/domain/errors.js';

/**
 * Turns the manifest's description of a score field (plus what the caller knows now, such as the
 * managers' current tier names) into the Tooling API CustomField it should be. The names, labels
 * and descriptions come from manifest.json; the Salesforce types are chosen here per field.
 */

export interface PicklistValue {
  fullName: string;
  label: string;
  default: boolean;
}

export interface CustomFieldMetadata {
  label: string;
  type: 'Number' | 'Picklist' | 'LongTextArea' | 'Text' | 'DateTime';
  description: string;
  inlineHelpText: string;
  precision?: number;
  scale?: number;
  length?: number;
  visibleLines?: number;
  valueSet?: { restricted: boolean; valueSetDefinition: { sorted: boolean; value: PicklistValue[] } };
}

export interface DesiredField {
  key: ManifestField['key'];
  /** API name, e.g. Lead_Score__c. */
  name: string;
  metadata: CustomFieldMetadata;
}

/** Salesforce caps labels at 40 characters and help text at 510. */
const LABEL_MAX = 40;
const HELP_MAX = 510;

export function desiredFields(manifest: Manifest, fields: ScoreFieldSpec[]): DesiredField[] {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const field of fields) {
    if (!manifest.salesforce.fields.some((m) => m.key === field.key)) {
      throw new InputError(`Score field "${field.key}" is not listed in manifest.json under salesforce.fields.`);
    }
  }
  return manifest.salesforce.fields.map((m) => {
    const options = byKey.get(m.key)?.options ?? m.options?.map((o) => o.value) ?? [];
    if (m.type === 'enumeration' && options.length === 0) {
      throw new InputError(`The Salesforce field ${m.name} is a picklist but no values were given: pass the tier names (config "tiers").`);
    }
    const base = { label: m.label.slice(0, LABEL_MAX), description: m.description, inlineHelpText: m.description.slice(0, HELP_MAX) };
    return { key: m.key, name: m.name, metadata: { ...base, ...salesforceType(m, options) } };
  });
}

function salesforceType(field: ManifestField, options: string[]): Omit<CustomFieldMetadata, 'label' | 'description' | 'inlineHelpText'> {
  switch (field.key) {
    case 'score':
      return { type: 'Number', precision: 3, scale: 0 };
    case 'probability':
      return { type: 'Number', precision: 5, scale: 4 };
    case 'reasons':
      return { type: 'LongTextArea', length: 32_768, visibleLines: 6 };
    case 'scoredAt':
      return { type: 'DateTime' };
    default:
      break;
  }
  if (field.type === 'enumeration') {
    const value = options.map((name) => ({ fullName: name, label: optionLabel(field, name), default: false }));
    // Not restricted: a score written while the tier names are being renamed must not bounce.
    return { type: 'Picklist', valueSet: { restricted: false, valueSetDefinition: { sorted: false, value } } };
  }
  if (field.type === 'number') return { type: 'Number', precision: 18, scale: 4 };
  if (field.type === 'datetime') return { type: 'DateTime' };
  return { type: 'Text', length: 255 };
}

/** The settings that differ between what the org has and what it should have (empty = in sync). */
export function metadataDifferences(existing: Record<string, unknown>, desired: CustomFieldMetadata): string[] {
  const diffs: string[] = [];
  for (const key of ['label', 'type', 'precision', 'scale', 'length', 'visibleLines', 'description', 'inlineHelpText'] as const) {
    const want = desired[key];
    if (want === undefined) continue;
    if ((existing[key] ?? null) !== want) diffs.push(key);
  }
  if (desired.valueSet) {
    // A value dropped from an update stays in the metadata, inactive (records keep it): only the active ones count.
    const have = ((existing.valueSet as { valueSetDefinition?: { value?: Array<PicklistValue & { isActive?: boolean | null }> } } | null | undefined)?.valueSetDefinition?.value ?? [])
      .filter((v) => v.isActive !== false)
      .map((v) => `${v.fullName}|${v.label ?? v.fullName}`);
    const want = desired.valueSet.valueSetDefinition.value.map((v) => `${v.fullName}|${v.label}`);
    if (have.join('\n') !== want.join('\n')) diffs.push('picklist values');
  }
  return diffs;
}
