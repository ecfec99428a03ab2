import type { SeedLead } from './context.js';

/** CSV column -> stored value -> the words its dropdown option shows (`seedValueLabels`). */
export type SeedValueLabels = Record<string, Record<string, string>>;

export interface SeedOption {
  value: string;
  label: string;
}

/**
 * The options of a seeded dropdown (HubSpot enumeration property, Salesforce picklist) for a
 * column given value labels, else null (the column stays a text property/field). A portal admin
 * builds a dropdown with a label per stored value: HubSpot's options carry `label` and `value`
 * (developers.hubspot.com/docs/api-reference/crm-properties-v3, "options": [{"label": "Option A",
 * "value": "A"}]), a Salesforce picklist `label` and `value` in describe's picklistValues, and the
 * CRM shows the label while the API reads and writes the value. Every value the seed holds is an
 * option (a value the labels do not name shows as itself), so each seeded record is valid; the
 * labels file's order first, as an admin would order the list.
 */
export function seedOptions(leads: readonly SeedLead[], column: string, labels: SeedValueLabels): SeedOption[] | null {
  const named = labels[column];
  if (!named || Object.keys(named).length === 0) return null;
  const seen = new Set<string>();
  for (const lead of leads) {
    const v = lead.values[column];
    if (v !== undefined && v !== '') seen.add(v);
  }
  const ordered = [...Object.keys(named).filter((v) => seen.has(v)), ...[...seen].filter((v) => !(v in named))];
  return ordered.map((value) => ({ value, label: named[value] ?? value }));
}
