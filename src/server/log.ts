import pino, { type Logger } from 'pino';
import { z } from 'zod';
import { ConfigError } from '../domain/errors.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
/** text: one readable line per event (a terminal); json: one JSON object per line (journald, a log shipper). */
export type LogFormat = 'text' | 'json';

export interface ServeLog {
  logger: Logger;
  format: LogFormat;
}

const choice = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .optional()
    .transform((v) => (v && v.trim() !== '' ? v.trim().toLowerCase() : undefined))
    .pipe(z.enum(values).optional());

const envSchema = z.object({
  LOG_LEVEL: choice(['error', 'warn', 'info', 'debug']),
  LOG_FORMAT: choice(['text', 'json']),
});

/**
 * LOG_LEVEL and LOG_FORMAT, checked (undefined: unset). A bad value is refused by every command
 * that reads the settings, also one that logs no other way (`run`): a typo that is ignored there
 * would pass unseen until the same .env starts `serve`.
 */
export function logSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): { level?: LogLevel; format?: LogFormat } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0]);
    const allowed = key === 'LOG_LEVEL' ? 'error, warn, info or debug' : 'text or json';
    throw new ConfigError(key, `must be ${allowed} (it is "${String(env[key])}")`);
  }
  return { level: parsed.data.LOG_LEVEL as LogLevel | undefined, format: parsed.data.LOG_FORMAT as LogFormat | undefined };
}

/**
 * Secrets never reach the log: the usual places they could appear are redacted, at the top of an
 * event and one level down (pino's paths match only where they say: `password` left
 * `{ tokens: { accessToken } }` or `{ headers: { authorization } }` in the clear).
 */
const SECRET_KEYS = ['password', 'accessToken', 'refreshToken', 'clientSecret', 'codeVerifier'];
const REDACT = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), 'headers.cookie', 'headers.authorization', '*.headers.cookie', '*.headers.authorization'];

/** pino's own fields; the text format shows time, level and message up front and every other field after. */
const SHOWN_UP_FRONT = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name']);

/**
 * The log of `serve` and its server: LOG_LEVEL (default info) and LOG_FORMAT (default text on a
 * terminal, json otherwise, so a service manager's log gets one parseable event per line). It
 * writes to stderr, like every other diagnostic, so stdout stays for what a command reports.
 */
export function createLog(env: NodeJS.ProcessEnv = process.env, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): ServeLog {
  const settings = logSettingsFromEnv(env);
  const format = settings.format ?? (stream.isTTY ? 'text' : 'json');
  const logger = pino(
    {
      name: 'leadlift',
      level: settings.level ?? 'info',
      redact: REDACT,
      // Words, not pino's numbers, and an ISO time: what an admin greps for and a shipper maps without a table.
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Written at once, in order with the lines other code writes to the same stream.
    { write: format === 'json' ? (line: string) => stream.write(line) : (line: string) => stream.write(textLine(line)) },
  );
  return { logger, format };
}

/** `2026-12-02T01:06:55.114Z WARN  message key=value`: one event per line (a table keeps its own lines). */
function textLine(json: string): string {
  const event = JSON.parse(json) as Record<string, unknown>;
  const fields = Object.entries(event)
    .filter(([key]) => !SHOWN_UP_FRONT.has(key))
    .map(([key, value]) => ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('');
  return `${String(event.time)} ${String(event.level).toUpperCase().padEnd(5)} ${String(event.msg ?? '')}${fields}\n`;
}
