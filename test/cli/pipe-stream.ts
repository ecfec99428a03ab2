/** A stderr stand-in that is not a terminal (a pipe, a CI log): the complete lines written, and the line still open. */
export function pipe() {
  const lines: string[] = [];
  let pending = '';
  const stream = Object.assign(
    {
      write(chunk: string) {
        pending += chunk;
        const parts = pending.split('\n');
        pending = parts.pop()!;
        lines.push(...parts);
        return true;
      },
    },
    { isTTY: false },
  ) as unknown as NodeJS.WritableStream & { isTTY?: boolean };
  return { stream, lines, unfinished: () => pending };
}
