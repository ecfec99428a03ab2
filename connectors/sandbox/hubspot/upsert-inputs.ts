import { hubspotError, type HubspotErrorBody } from './errors.js';
import type { HsObject } from './store.js';

/** One batch-upsert input's key: the value it names its record by, and the property that value is of. */
export interface UpsertKey {
  id: string;
  by: string;
}

/** A request-level refusal: HubSpot answers the whole batch with it and writes nothing. */
export interface UpsertRefusal {
  status: number;
  body: HubspotErrorBody;
}

/**
 * The inputs' keys, or HubSpot's 400 for a batch it refuses before reading any record:
 * - an input without an `id` (SimplePublicObjectBatchInputUpsert requires it): HubSpot's JSON
 *   binding says "Some required fields were not set: [id]" (it also names the JSON's line and
 *   column; here the input's index stands in), rather than creating a contact with no email;
 * - an `idProperty` that is not a unique property of the object;
 * - two inputs with the same key (emails compared ignoring case, as HubSpot's email index does):
 *   "Duplicate IDs found in batch input: [x]. IDs must be unique", the id also in `context.ids`.
 */
export function upsertKeys(type: string, inputs: unknown[], queryIdProperty: unknown): UpsertKey[] | UpsertRefusal {
  const keys: UpsertKey[] = [];
  for (const [i, raw] of inputs.entries()) {
    const input = (raw ?? {}) as { id?: unknown; idProperty?: unknown };
    if (input.id === undefined || input.id === null || String(input.id).trim() === '') {
      return refuse(`Invalid input JSON: inputs[${i}]. Some required fields were not set: [id]`);
    }
    keys.push({ id: String(input.id), by: String(input.idProperty ?? queryIdProperty ?? 'hs_object_id') });
  }
  const unsupported = keys.find((k) => k.by !== 'hs_object_id' && !(type === 'contacts' && k.by === 'email'));
  if (unsupported) {
    return refuse(`${unsupported.by} is not a unique identifier property of ${type}: upsert by hs_object_id${type === 'contacts' ? ' or email' : ''}.`);
  }
  const seen = keys.map((k) => `${k.by}:${k.by === 'email' ? k.id.toLowerCase() : k.id}`);
  const duplicate = keys.find((_, i) => seen.indexOf(seen[i]) !== i);
  if (duplicate) {
    return refuse(`Duplicate IDs found in batch input: [${duplicate.id}]. IDs must be unique`, { context: { ids: [duplicate.id] } });
  }
  return keys;
}

/**
 * The first email two inputs would leave on two different contacts, as HubSpot's message for a
 * clash inside one batch, or null. Each input's email after the write: the one it sets, else for
 * a contact it creates by email its id (the id wins, see the route), else the email its record has.
 * Two inputs naming different new emails can still clash, e.g. one creating x@ by email while
 * another sets x@ on an existing contact; checking only the stored contacts let both through,
 * leaving two contacts with one email.
 */
export function upsertEmailClash(
  keys: readonly UpsertKey[],
  written: ReadonlyArray<string | undefined>,
  targets: ReadonlyArray<HsObject | undefined>,
): string | null {
  const first = new Map<string, number>();
  for (const [i, key] of keys.entries()) {
    const target = targets[i];
    // A record id no record has fails alone in the 207 and writes no email.
    const email = target && !target.archived ? (written[i] ?? target.properties.email) : key.by === 'email' ? key.id : undefined;
    if (!email) continue;
    const at = first.get(email.toLowerCase());
    if (at !== undefined && (targets[at] === undefined || targets[at] !== target)) {
      return `Contact already exists: inputs ${at} and ${i} would both have the email ${email}. Nothing was written.`;
    }
    first.set(email.toLowerCase(), i);
  }
  return null;
}

function refuse(message: string, extra: Parameters<typeof hubspotError>[2] = {}): UpsertRefusal {
  return { status: 400, body: hubspotError('VALIDATION_ERROR', message, extra) };
}

export function isRefusal(value: UpsertKey[] | UpsertRefusal): value is UpsertRefusal {
  return !Array.isArray(value);
}
