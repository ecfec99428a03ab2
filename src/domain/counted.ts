/** "41,188": a whole number as every table, page and log line prints it. */
export function wholeNumber(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "1 lead", "2,060 leads": a count with its noun, so no page reads "1 leads". */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
