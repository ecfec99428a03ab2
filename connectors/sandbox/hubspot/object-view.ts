import { ALWAYS_RETURNED, DEFAULT_RETURNED, SINGULAR, type ObjectType } from './object-types.js';
import type { HsObject, HubspotRecords } from './store.js';

/**
 * The properties a read returns: HubSpot's defaults when none are named; otherwise the named ones
 * the portal has (others are ignored), plus the id, created and last-modified dates, which HubSpot
 * returns whatever was asked for.
 */
export function selectProperties(records: HubspotRecords, type: ObjectType, requested: string[] | undefined): string[] {
  if (!requested || requested.length === 0) return DEFAULT_RETURNED[type];
  const defs = records.state.properties[type];
  return [...new Set([...requested.filter((name) => defs.has(name)), ...ALWAYS_RETURNED[type]])];
}

/**
 * A SimplePublicObject on the wire; requested-but-unset properties are null, as in HubSpot.
 * `withHistory`: the propertiesWithHistory asked for, each newest value first.
 */
export function viewObject(obj: HsObject, names: string[], withHistory: string[] = []): Record<string, unknown> {
  const properties: Record<string, string | null> = {};
  for (const name of names) properties[name] = obj.properties[name] ?? null;
  const view: Record<string, unknown> = {
    id: obj.id,
    properties,
    createdAt: new Date(obj.createdAt).toISOString(),
    updatedAt: new Date(obj.updatedAt).toISOString(),
    archived: obj.archived,
  };
  if (obj.archivedAt !== undefined) view.archivedAt = new Date(obj.archivedAt).toISOString();
  if (withHistory.length > 0) view.propertiesWithHistory = Object.fromEntries(withHistory.map((name) => [name, propertyHistory(obj, name)]));
  return view;
}

/**
 * A property's ValueWithTimestamp list, newest first. A value the sandbox saw no write of (seeded
 * records) is its whole history, stamped with the record's last modification.
 */
function propertyHistory(obj: HsObject, name: string): Array<Record<string, string>> {
  const recorded = obj.history?.[name];
  if (recorded && recorded.length > 0) {
    return [...recorded].reverse().map((e) => ({ value: e.value, timestamp: new Date(e.timestamp).toISOString(), sourceType: e.sourceType }));
  }
  const value = obj.properties[name];
  if (value === undefined) return [];
  const sourceType = name === 'hs_object_id' || name === 'createdate' || name === 'lastmodifieddate' || name === 'hs_lastmodifieddate' ? 'CALCULATED' : 'IMPORT';
  return [{ value, timestamp: new Date(name === 'createdate' || name === 'hs_object_id' ? obj.createdAt : obj.updatedAt).toISOString(), sourceType }];
}

/** The propertiesWithHistory names the portal has (others are ignored, as for properties). */
export function historyProperties(records: HubspotRecords, type: ObjectType, requested: string[] | undefined): string[] {
  const defs = records.state.properties[type];
  return [...new Set((Array.isArray(requested) ? requested : []).filter((name) => defs.has(name)))];
}

/** Whether a read names any propertiesWithHistory (an empty list asks for none). */
export function asksHistory(requested: unknown): boolean {
  return Array.isArray(requested) && requested.some((name) => String(name).trim() !== '');
}

/** The v3 `associations` block of SimplePublicObjectWithAssociations. */
export function viewAssociations(records: HubspotRecords, type: ObjectType, id: string, wanted: ObjectType[]): Record<string, unknown> | undefined {
  const block: Record<string, unknown> = {};
  for (const other of wanted) {
    if (other === type) continue;
    const ids = records.associated(type, id);
    if (ids.length === 0) continue;
    block[other] = { results: ids.map((to) => ({ id: to, type: `${SINGULAR[type]}_to_${SINGULAR[other]}` })) };
  }
  return Object.keys(block).length > 0 ? block : undefined;
}

/** Query parameters that may repeat (properties=a&properties=b) or be comma lists (properties=a,b). */
export function listParam(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(','));
  return items.map((s) => s.trim()).filter(Boolean);
}
