import type { HubspotDeps } from './deps.js';
import { ASSOCIATION_TYPE_ID, type ObjectType } from './object-types.js';

/**
 * The `associations` of a create input ([{to: {id}, types: [{associationCategory,
 * associationTypeId}]}]) as the ids of the other object, or a message saying what is wrong.
 */
export function associationTarget(deps: HubspotDeps, type: ObjectType, input: unknown): string[] | string {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) return 'associations must be an array';
  const other: ObjectType = type === 'contacts' ? 'deals' : 'contacts';
  const ids: string[] = [];
  for (const item of input as Array<{ to?: { id?: unknown }; types?: Array<{ associationTypeId?: unknown; associationCategory?: unknown }> }>) {
    const id = String(item?.to?.id ?? '');
    const types = item?.types ?? [];
    const known = types.every((t) => t.associationCategory === 'HUBSPOT_DEFINED' && Number(t.associationTypeId) === ASSOCIATION_TYPE_ID[type]);
    if (types.length === 0 || !known) {
      return `Association types must be HUBSPOT_DEFINED ${ASSOCIATION_TYPE_ID[type]} (${type} to ${other}); the sandbox knows no others`;
    }
    const target = deps.records.get(other, id);
    if (!target || target.archived) return `Association target ${other} ${id} does not exist`;
    ids.push(id);
  }
  return ids;
}
