import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../domain/errors.js';
import { jsonSyntaxError } from './json-syntax-error.js';
import { configSchema, type AppConfig } from './schema.js';
import { parseConfigValue } from './validate.js';

export const defaultConfigPath = fileURLToPath(new URL('../../config/default.json', import.meta.url));

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Values that win over both files, e.g. CLI flags (`{ model: { seed: 7 } }`). */
  overrides?: Record<string, unknown>;
  defaultsPath?: string;
}

/**
 * config/default.json, then the file named by LEADLIFT_CONFIG (if set), then overrides.
 * Objects merge key by key; arrays (tiers) are replaced whole, because half a tier list
 * merged with the default one would make no sense to the manager who wrote it.
 */
export function loadConfig(options: LoadConfigOptions = {}): AppConfig {
  const env = options.env ?? process.env;
  const defaults = readJson(options.defaultsPath ?? defaultConfigPath, 'config/default.json');
  const userPath = env.LEADLIFT_CONFIG?.trim();
  let merged = defaults;
  if (userPath) {
    if (!existsSync(userPath)) throw new ConfigError('LEADLIFT_CONFIG', `file "${userPath}" does not exist`);
    merged = deepMerge(merged, readJson(userPath, 'LEADLIFT_CONFIG'));
  }
  if (options.overrides) merged = deepMerge(merged, options.overrides);
  return parseConfigValue(configSchema, merged, '', userPath ? `${userPath} merged over the defaults` : undefined, { showValue: true });
}

/**
 * The LEADLIFT_CONFIG file and the top-level keys it sets (null when none is named), so a note can
 * tell a value the admin wrote from a default. loadConfig has already checked the file.
 */
export function configFile(env: NodeJS.ProcessEnv = process.env): { path: string; keys: string[] } | null {
  const path = env.LEADLIFT_CONFIG?.trim();
  if (!path) return null;
  return { path, keys: Object.keys(readJson(path, 'LEADLIFT_CONFIG')) };
}

function readJson(path: string, key: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(key, `file "${path}" cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const where = jsonSyntaxError(text) ?? (err as Error).message.replace(/\s+/g, ' ');
    throw new ConfigError(key, `file "${path}" is not valid JSON: ${where}`);
  }
  if (!isPlainObject(value)) throw new ConfigError(key, `file "${path}" must hold a JSON object`);
  return value;
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
