import type { z } from 'zod';
import { ConfigError } from '../domain/errors.js';
import { keyPath } from './key-path.js';

/**
 * Parses a value with a zod schema; the first problem becomes a ConfigError naming the key
 * (`tiers[1].min`), so the admin knows exactly which line of the file to fix.
 */
export function parseConfigValue<S extends z.ZodTypeAny>(schema: S, value: unknown, prefix = '', where?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  let key = keyPath(issue.path, prefix);
  let problem = issue.message;
  if (issue.code === 'unrecognized_keys') {
    key = keyPath([...issue.path, issue.keys[0]], prefix);
    problem = 'is not a known setting (check the spelling)';
  } else if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    problem = 'is required';
  }
  throw new ConfigError(key || '(root)', where ? `${problem} (in ${where})` : problem);
}
