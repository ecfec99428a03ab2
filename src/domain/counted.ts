/** "1 lead", "2,060 leads": a count with its noun, so no page reads "1 leads". */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? noun : plural}`;
}
