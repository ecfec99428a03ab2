import type { Logger } from 'pino';
import type { LogLevel } from '../server/log.js';

/** A stream-like sink whose every line is one log event: for code that writes lines (heartbeat, stopOnSignal). */
export interface LogLines {
  write(text: string): boolean;
  /** Never a terminal: progress written here is heartbeat lines, never a bar (progress.ts). */
  readonly isTTY: false;
  /** The level of the lines written from now on (a step that failed ends at warn). */
  level: LogLevel;
}

/** As progress.ts's stream: it only writes to a stream that is no terminal (heartbeat.ts), so a writer of lines is enough. */
export function asProgressStream(lines: LogLines): NodeJS.WritableStream & { isTTY?: boolean } {
  return lines as unknown as NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Lines written here become `logger` events at `level`, with `fields` (crm, run id) read at each
 * line, so a run id learnt mid-cycle is on every line after it. Blank lines carry nothing in a log.
 */
export function logLines(logger: Logger, level: LogLevel, fields: () => Record<string, unknown> = () => ({})): LogLines {
  let pending = '';
  const sink: LogLines = {
    isTTY: false,
    level,
    write(text) {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line.trim() !== '') logger[sink.level](fields(), line);
      return true;
    },
  };
  return sink;
}
