import type { IngestJob } from './job.js';

/**
 * Salesforce reads a Bulk API 2.0 upload with the line ending the job was created with and fails
 * the job when a row ends otherwise ("LineEnding is invalid on user data"), a mixed file
 * included, rather than guessing as our own CSV reading does (features/line-ends.ts). Keeping
 * that strict here is the point: a push that sent CRLF rows to an LF job would fail in a real org.
 * Line breaks inside quoted values are part of the value, not row ends.
 */
export function lineEndingMismatch(csv: string, lineEnding: IngestJob['lineEnding']): boolean {
  const crlf = lineEnding === 'CRLF';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv.charCodeAt(i);
    // A doubled quote inside a quoted value flips twice, so it leaves the value open.
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x0a && !quoted && (csv.charCodeAt(i - 1) === 0x0d) !== crlf) return true;
  }
  return false;
}

export function lineEndingMessage(lineEnding: IngestJob['lineEnding']): string {
  return `ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is ${lineEnding}`;
}
