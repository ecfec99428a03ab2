/**
 * Rows end in CRLF or LF, also both in one file (a CRLF export with a line added by another
 * tool). Left to itself csv-parse takes the first line end it meets as the only one, and reads a
 * lone LF in a CRLF file as part of a value: two rows merged, and the error on the wrong line.
 * A file without any LF keeps csv-parse's own detection (CR alone, from old Mac tools).
 * Every csv-parse call on a CSV someone made by hand or exported passes this as `record_delimiter`.
 */
export function recordDelimiters(text: string): string[] | undefined {
  return text.includes('\n') ? ['\r\n', '\n'] : undefined;
}
