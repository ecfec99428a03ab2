/**
 * The fieldTypes each property type may be shown as. HubSpot's v3 properties API has refused
 * other pairings since February 2021 (changelog "Announcing a change to how CRM object property
 * creation is validated in v3 endpoints"); a sandbox that took them would let a connector ship
 * a property definition real portals reject.
 */
const FIELD_TYPES_BY_TYPE: Record<string, readonly string[]> = {
  bool: ['booleancheckbox', 'calculation_equation'],
  enumeration: ['booleancheckbox', 'checkbox', 'radio', 'select', 'calculation_equation'],
  date: ['date'],
  datetime: ['date'],
  string: ['file', 'text', 'textarea', 'calculation_equation', 'html', 'phonenumber'],
  number: ['number', 'calculation_equation'],
};

/** Why a type and fieldType cannot go together, or null when they can. */
export function fieldTypeProblem(type: string, fieldType: string): string | null {
  const allowed = FIELD_TYPES_BY_TYPE[type];
  if (!allowed || allowed.includes(fieldType)) return null;
  return `Property type ${type} does not support fieldType ${fieldType}. Allowed fieldTypes for ${type}: ${allowed.join(', ')}.`;
}
