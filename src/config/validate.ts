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
  const issue = result.error.issues[0];
  let key = keyPath(issue.path, prefix);
  let problem = issueWords(issue);
  const refused = valueAt(value, issue.path);
  const notes: string[] = [];
  if (issue.code === 'unrecognized_keys') {
    key = keyPath([...issue.path, issue.keys[0]], prefix);
    const meant = likelyKey(schema, issue.path, issue.keys[0]);
    problem = meant ? `is not a known setting (did you mean "${keyPath([...issue.path, meant], prefix)}"?)` : 'is not a known setting (check the spelling)';
  } else if (options.showValue && refused.found) {
    notes.push(`it is ${shownValue(refused.value)}`);
  }
  if (where) notes.push(`in ${where}`);
  throw new ConfigError(key || '(root)', notes.length > 0 ? `${problem} (${notes.join('; ')})` : problem);
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
