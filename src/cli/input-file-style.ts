import { closeSync, openSync, readSync } from 'node:fs';

/** How a CSV file is written beyond its separator: a UTF-8 byte-order mark, and its line ending. */
export interface FileStyle {
  bom: boolean;
  crlf: boolean;
}

const HEAD_BYTES = 64 * 1024;

/**
 * Read from the file's first bytes, so the scored file can be written the same way: Excel reads
 * a UTF-8 file without its BOM as the local code page ("España" garbled), and a CRLF export
 * comes back with CRLF. The line ending is the header row's (the first line break).
 */
export function inputFileStyle(path: string): FileStyle {
  const head = Buffer.alloc(HEAD_BYTES);
  const fd = openSync(path, 'r');
  let length: number;
  try {
    length = readSync(fd, head, 0, HEAD_BYTES, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = head.subarray(0, length);
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const newline = bytes.indexOf(0x0a);
  return { bom, crlf: newline > 0 && bytes[newline - 1] === 0x0d };
}
