/** Plain decimal numbers as exports write them: "42", "-1.5", ".5", "1e-3". Not "0x1F", not "1,420". */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a cell holds, or NaN. Thousands separators are not accepted: "1,420" is ambiguous. */
export function parseNumber(text: string): number {
  if (!NUMBER.test(text)) return Number.NaN;
  // "1e400" matches the pattern but is Infinity: treated as unreadable, since JSON cannot save it.
  const n = Number(text);
  return Number.isFinite(n) ? n : Number.NaN;
}
