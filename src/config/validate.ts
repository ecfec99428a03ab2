import type { z } from 'zod';
import { ConfigError } from '../domain/errors.js';
import { issueWords, shownValue } from './issue-words.js';
import { keyPath } from './key-path.js';
import { likelyKey } from './known-keys.js';

export interface ParseConfigOptions {
  /**
   * Say the value that was refused after the words (`(it is "abc")`). Only for settings that hold
   * no secret: the config file, not the environment's tokens and passwords.
   */
  showValue?: boolean;
}

/**
 * Parses a value with a zod schema; the first problem becomes a ConfigError naming the key
 * (`tiers[1].min`), so the admin knows exactly which line of the file to fix, and what is allowed
 * there (issue-words.ts).
 */
export function parseConfigValue<S extends z.ZodTypeAny>(schema: S, value: unknown, prefix = '', where?: string, options: ParseConfigOptions = {}): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = reportedIssue(result.error.issues);
  let key = keyPath(issue.path, prefix);
  let problem = issueWords(issue);
  const refused = valueAt(value, issue.path);
  const notes: string[] = [];
  if (issue.code === 'unrecognized_keys') {
    const missing = missingKeys(result.error.issues, issue.path);
    const stray = issue.keys.find((k) => likelyKey(schema, issue.path, k, missing) !== null) ?? issue.keys[0];
    key = keyPath([...issue.path, stray], prefix);
    const meant = likelyKey(schema, issue.path, stray, missing);
    const needed = missing.map((k) => `"${keyPath([...issue.path, k], prefix)}"`).join(', ');
    problem = meant
      ? `is not a known setting (did you mean "${keyPath([...issue.path, meant], prefix)}"?)`
      : `is not a known setting (check the spelling${needed ? `; ${needed} ${missing.length === 1 ? 'is' : 'are'} required beside it` : ''})`;
  } else if (options.showValue && refused.found) {
    notes.push(`it is ${shownValue(refused.value)}`);
  }
  if (where) notes.push(`in ${where}`);
  throw new ConfigError(key || '(root)', notes.length > 0 ? `${problem} (${notes.join('; ')})` : problem);
}

/**
 * The issue to report. zod lists a required key that is absent before the stray key beside it,
 * so `{"name": "Hot", "mn": 80}` read "tiers[0].min is required" and never named "mn", the key the
 * admin did write: the stray key is reported instead, with the required key it likely meant.
 */
function reportedIssue(issues: readonly z.ZodIssue[]): z.ZodIssue {
  const first = issues[0];
  if (!isMissingKey(first)) return first;
  const parent = first.path.slice(0, -1);
  return issues.find((i) => i.code === 'unrecognized_keys' && samePath(i.path, parent)) ?? first;
}

/** The required keys absent from the object at `path`. */
function missingKeys(issues: readonly z.ZodIssue[], path: ReadonlyArray<string | number>): string[] {
  return issues.filter((i) => isMissingKey(i) && samePath(i.path.slice(0, -1), path)).map((i) => String(i.path.at(-1)));
}

function isMissingKey(issue: z.ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.received === 'undefined' && typeof issue.path.at(-1) === 'string';
}

function samePath(a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/** The value at a zod issue's path, when the input has one there. */
export function valueAt(value: unknown, path: ReadonlyArray<string | number>): { found: boolean; value?: unknown } {
  let at = value;
  for (const part of path) {
    if (typeof at !== 'object' || at === null || !(part in at)) return { found: false };
    at = (at as Record<string | number, unknown>)[part];
  }
  return at === undefined ? { found: false } : { found: true, value: at };
}
