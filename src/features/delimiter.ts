/** Delimiters a lead export realistically uses, in the order ties are broken. */
export const candidateDelimiters = [',', ';', '\t', '|'] as const;

/**
 * Picks the delimiter from the first lines of a file: the candidate that appears, outside
 * quotes, the same number of times on every sampled line (and at least once), preferring
 * the one that splits lines into the most fields. Falls back to a comma (a one-column file).
 */
export function sniffDelimiter(text: string, sampleLines = 20): string {
  const lines = firstLines(text, sampleLines);
  let best: { delimiter: string; fields: number } | null = null;
  for (const delimiter of candidateDelimiters) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const first = counts[0] ?? 0;
    if (first === 0 || !counts.every((c) => c === first)) continue;
    if (!best || first > best.fields) best = { delimiter, fields: first };
  }
  if (best) return best.delimiter;
  // No perfectly consistent candidate (e.g. quoted newlines in the sample): take the most frequent on the header.
  const header = lines[0] ?? '';
  let fallback = ',';
  let most = 0;
  for (const delimiter of candidateDelimiters) {
    const c = countOutsideQuotes(header, delimiter);
    if (c > most) [fallback, most] = [delimiter, c];
  }
  return fallback;
}

function firstLines(text: string, n: number): string[] {
  const out: string[] = [];
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (out.length < n && start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    if (line.trim() !== '') out.push(line);
    start = end + 1;
  }
  return out;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}
