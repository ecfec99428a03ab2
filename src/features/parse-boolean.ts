const TRUE = new Set(['true', 'yes', 'y', 't', '1', 'on']);
const FALSE = new Set(['false', 'no', 'n', 'f', '0', 'off']);

/** 1, 0, or NaN for a case-folded cell. */
export function parseBoolean(folded: string): number {
  if (TRUE.has(folded)) return 1;
  if (FALSE.has(folded)) return 0;
  return Number.NaN;
}
