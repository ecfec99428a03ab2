import type { Option, Property, PropertyCreate } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { ScoreFieldSpec } from '../types.js';
import { optionLabel, type Manifest, type ManifestField } from '../../src/domain/manifest.js';
import { InputError } from '../../src/domain/errors.js';

/**
 * Turns the manifest's description of a score field (plus what the caller knows now, such as
 * the managers' current tier names) into the HubSpot property it should be.
 */

export interface DesiredProperty {
  name: string;
  label: string;
  type: 'number' | 'enumeration' | 'string' | 'datetime';
  fieldType: 'number' | 'select' | 'textarea' | 'text' | 'date';
  groupName: string;
  description: string;
  options: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>;
}

/** Reasons are several lines (top factors for and against); other text fields are one line. */
const MULTI_LINE_KEYS: ReadonlySet<ManifestField['key']> = new Set(['reasons']);

export function desiredProperties(manifest: Manifest, fields: ScoreFieldSpec[]): DesiredProperty[] {
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const field of fields) {
    if (!manifest.hubspot.properties.some((p) => p.key === field.key)) {
      throw new InputError(`Score field "${field.key}" is not listed in manifest.json under hubspot.properties.`);
    }
  }
  const groupName = manifest.hubspot.propertyGroup.name;
  return manifest.hubspot.properties.map((m) => {
    const given = byKey.get(m.key);
    const optionNames = given?.options ?? m.options?.map((o) => o.value) ?? [];
    if (m.type === 'enumeration' && optionNames.length === 0) {
      throw new InputError(`The HubSpot property ${m.name} is a dropdown but no options were given: pass the tier names (config "tiers").`);
    }
    return {
      name: m.name,
      label: given?.label ?? m.label,
      groupName,
      description: m.description,
      ...hubspotType(m),
      options: m.type === 'enumeration' ? optionNames.map((name, i) => ({ label: optionLabel(m, name), value: name, displayOrder: i, hidden: false })) : [],
    };
  });
}

function hubspotType(field: ManifestField): Pick<DesiredProperty, 'type' | 'fieldType'> {
  switch (field.type) {
    case 'number':
      return { type: 'number', fieldType: 'number' };
    case 'enumeration':
      return { type: 'enumeration', fieldType: 'select' };
    case 'datetime':
      return { type: 'datetime', fieldType: 'date' };
    case 'text':
      return { type: 'string', fieldType: MULTI_LINE_KEYS.has(field.key) ? 'textarea' : 'text' };
  }
}

export function toPropertyCreate(desired: DesiredProperty): PropertyCreate {
  return { ...desired, type: desired.type as PropertyCreate['type'], fieldType: desired.fieldType as PropertyCreate['fieldType'] };
}

/** The settings that differ between what the portal has and what it should have (empty = in sync). */
export function propertyDifferences(existing: Property, desired: DesiredProperty): string[] {
  const diffs: string[] = [];
  for (const key of ['label', 'type', 'fieldType', 'groupName', 'description'] as const) {
    if ((existing[key] ?? '') !== desired[key]) diffs.push(key);
  }
  if (!sameOptions(existing.options ?? [], desired.options)) diffs.push('options');
  return diffs;
}

function sameOptions(existing: Option[], desired: DesiredProperty['options']): boolean {
  const visible = existing.filter((o) => !o.hidden);
  if (visible.length !== desired.length) return false;
  const sorted = [...visible].sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0));
  return sorted.every((o, i) => o.value === desired[i].value && o.label === desired[i].label);
}
