import { createLog, type ServeLog } from '../server/log.js';
import { sayFatalWith } from './fatal-log.js';

/**
 * The one log of `serve` and `start`: their own lines, the server's and the loop's (LOG_LEVEL,
 * LOG_FORMAT; log.ts). Under json the command's last word (why it stopped or failed) is an event
 * of it too, so stderr stays one JSON event per line to the end.
 */
export function serveLog(env: NodeJS.ProcessEnv = process.env): ServeLog {
  const log = createLog(env);
  if (log.format === 'json') sayFatalWith(log.logger);
  return log;
}
