import { z } from 'zod';
import { keyPath } from './key-path.js';

/**
 * A zod issue in the words the rest of the settings use ("must be a number", "must be 1 or
 * more", "must be fast or ml-random-forest"), for a CRM admin who has never read zod's
 * ("Expected number, received string", "Invalid enum value. Expected 'fast' | …"). A message the
 * schema wrote itself is kept: it already says what the value means. The value is not part of
 * the words; the caller adds it where it may be shown (never for a secret).
 */
export function issueWords(issue: z.ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.received === 'undefined') return 'is required';
  if (!isZodsOwnMessage(issue)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case 'invalid_literal':
      return `must be ${String(issue.expected)}`;
    case 'invalid_enum_value':
      return `must be ${orList(issue.options.map(String))}`;
    case 'invalid_union_discriminator':
      return `must be ${orList(issue.options.map(String))}`;
    case 'invalid_union':
      return unionWords(issue);
    case 'unrecognized_keys':
      return issue.keys.length === 1 ? `"${issue.keys[0]}" is not a known setting (check the spelling)` : `${issue.keys.map((k) => `"${k}"`).join(', ')} are not known settings (check the spelling)`;
    case 'too_small':
      return sizeWords(issue.type, Number(issue.minimum), issue.inclusive, issue.exact, 'small');
    case 'too_big':
      return sizeWords(issue.type, Number(issue.maximum), issue.inclusive, issue.exact, 'big');
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.multipleOf)}`;
    case 'not_finite':
      return 'must be a finite number';
    case 'invalid_string':
      return typeof issue.validation === 'string' ? `must be ${STRING_WORDS[issue.validation] ?? `a valid ${issue.validation}`}` : 'is not in the expected form';
    case 'invalid_date':
      return 'must be a valid date';
    default:
      return issue.message;
  }
}

/** How a value is quoted after the words: text in quotes as typed, anything else as JSON, cut short. */
export function shownValue(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  nan: 'a number',
  integer: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list ([…])',
  object: 'an object ({…})',
  null: 'null',
  date: 'a date',
};

const STRING_WORDS: Record<string, string> = {
  url: 'a URL, e.g. https://example.com/path',
  email: 'an email address',
  uuid: 'a UUID',
  datetime: 'a date and time, e.g. 2026-01-31T09:00:00Z',
  date: 'a date, e.g. 2026-01-31',
};

/** zod's own message (no message of the schema's): what its default map says for the issue. */
function isZodsOwnMessage(issue: z.ZodIssue): boolean {
  return z.defaultErrorMap(issue as z.ZodIssueOptionalMessage, { defaultError: issue.message, data: undefined }).message === issue.message;
}

function sizeWords(type: string, limit: number, inclusive: boolean, exact: boolean | undefined, side: 'small' | 'big'): string {
  if (type === 'string') {
    if (side === 'small' && limit === 1 && !exact) return 'must not be empty';
    return `must be ${exact ? 'exactly' : side === 'small' ? 'at least' : 'at most'} ${limit} character${limit === 1 ? '' : 's'} long`;
  }
  if (type === 'array' || type === 'set') {
    if (side === 'small' && limit === 1 && !exact) return 'must list at least one value';
    return `must list ${exact ? 'exactly' : side === 'small' ? 'at least' : 'at most'} ${limit} value${limit === 1 ? '' : 's'}`;
  }
  if (exact) return `must be ${limit}`;
  if (side === 'small') return inclusive ? `must be ${limit} or more` : `must be above ${limit}`;
  return inclusive ? `must be ${limit} or less` : `must be below ${limit}`;
}

/** Every kind of value the union takes: "must be sqrt or a number". */
function unionWords(issue: z.ZodInvalidUnionIssue): string {
  const kinds = issue.unionErrors.map((e) => (e.issues[0] ? issueWords(e.issues[0]) : ''));
  if (kinds.some((k) => !k.startsWith('must be '))) return 'is not one of the values this setting takes';
  return `must be ${orList([...new Set(kinds.map((k) => k.slice('must be '.length)))])}`;
}

function orList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/**
 * The first issue as the key it is at and the words: `"forest.arrays.roots" must be text`, for a
 * file read with a schema (the app manifest, a saved model) where the key names a place in the
 * file. `at` is where the part being read sits in its file (a model's forest is read on its own,
 * and is "forest" there). The value is not shown; the caller adds it where it may be.
 */
export function issueAtKey(error: z.ZodError, at = ''): string {
  const issue = error.issues[0];
  return `"${keyPath(issue.path, at) || '(the whole file)'}" ${issueWords(issue)}`;
}
