import pino, { type Logger } from 'pino';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger at the server's level (info) whose JSON lines are kept, as the terminal would show them. */
export function capturedLog(): { logger: Logger; lines: LogLine[]; raw: string[]; messages(): string[] } {
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const logger = pino({ level: 'info' }, {
    write(text: string) {
      raw.push(text);
      lines.push(JSON.parse(text) as LogLine);
    },
  });
  return { logger, lines, raw, messages: () => lines.map((l) => l.msg) };
}

/** pino's level numbers. */
export const INFO = 30;
export const WARN = 40;
export const ERROR = 50;
