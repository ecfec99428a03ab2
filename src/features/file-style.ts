/** How a CSV file is written beyond its separator: a UTF-8 byte-order mark, and its line ending. */
export interface FileStyle {
  bom: boolean;
  crlf: boolean;
}

/**
 * Read from the file's text as it was read for parsing (not a second read of the file), so the
 * scored file can be written the same way: Excel reads a UTF-8 file without its BOM as the local
 * code page ("España" garbled), and a CRLF export comes back with CRLF. The line ending is the
 * header row's (the first line break).
 */
export function fileStyleOf(text: string): FileStyle {
  const newline = text.indexOf('\n');
  return { bom: text.charCodeAt(0) === 0xfeff, crlf: newline > 0 && text[newline - 1] === '\r' };
}
