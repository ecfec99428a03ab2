import { z } from 'zod';
import { looseColumnName } from '../features/custom-field-keys.js';

/**
 * The setting a mistyped key most likely meant, among the keys the schema allows beside it
 * ("teirs" -> "tiers", "max_depth" -> "maxDepth"): one that differs only in case or separators,
 * else the one key within two letters' edits. Null when none or several are that close, so the
 * hint never guesses between two.
 */
export function likelyKey(schema: z.ZodTypeAny, path: ReadonlyArray<string | number>, key: string, alsoKnown: readonly string[] = []): string | null {
  // `alsoKnown`: keys the input lacks there and must have, for objects checked behind a refinement (a tier) whose keys keysAt cannot see.
  return closestKey([...new Set([...keysAt(schema, path), ...alsoKnown])], key);
}

/** The one key of `known` that `key` most likely misspells (see likelyKey), or null. */
export function closestKey(known: readonly string[], key: string): string | null {
  const loose = looseColumnName(key);
  const alike = known.filter((k) => looseColumnName(k) === loose);
  if (alike.length === 1) return alike[0];
  const near = known.filter((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  return near.length === 1 ? near[0] : null;
}

/** The keys of the object the schema expects at `path` (none where it expects no object). */
function keysAt(schema: z.ZodTypeAny, path: ReadonlyArray<string | number>): string[] {
  let at: z.ZodTypeAny | undefined = unwrap(schema);
  for (const part of path) {
    if (at instanceof z.ZodArray) at = unwrap(at.element);
    else if (at instanceof z.ZodObject && typeof part === 'string') at = at.shape[part] ? unwrap(at.shape[part]) : undefined;
    else if (at instanceof z.ZodRecord) at = unwrap(at.valueSchema);
    else at = undefined;
    if (!at) return [];
  }
  return at instanceof z.ZodObject ? Object.keys(at.shape) : [];
}

function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  let at = schema;
  for (;;) {
    if (at instanceof z.ZodOptional || at instanceof z.ZodNullable) at = at.unwrap();
    else if (at instanceof z.ZodDefault) at = at._def.innerType;
    else if (at instanceof z.ZodEffects) at = at.innerType();
    else return at;
  }
}

/** Levenshtein distance; keys are short, so the plain table is enough. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length];
}
