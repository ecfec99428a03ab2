import type { Logger } from 'pino';
import type { LogLevel } from '../server/log.js';

let sink: Logger | null = null;

/**
 * The command's last word (why it stopped or failed) goes to this logger, so under LOG_FORMAT=json
 * `serve`'s stderr stays one JSON event per line to the end; null gives it back to main.ts's
 * plain `leadlift: …` line.
 */
export function sayFatalWith(logger: Logger | null): void {
  sink = logger;
}

/** True when the logger said it; the caller prints the plain line otherwise. */
export function sayFatal(level: LogLevel, message: string, fields: Record<string, unknown> = {}): boolean {
  if (!sink) return false;
  sink[level](fields, message);
  return true;
}
