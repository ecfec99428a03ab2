/**
 * The yes/no vocabulary CRM exports write outcomes in (folded: trimmed, lower case). A label
 * column whose values all come from it needs no --positive: the first list counts as converted.
 */
export const POSITIVE_WORDS: readonly string[] = ['yes', 'true', '1', 'won', 'closed won', 'converted', 'y', 't', 'success'];
export const NEGATIVE_WORDS: readonly string[] = ['no', 'false', '0', 'lost', 'closed lost', 'not converted', 'unconverted', 'n', 'f', 'failure'];

/**
 * The folded label values that --positive names. Each given value is first taken whole, so a
 * value that itself holds a comma ("Closed, won") still works; one that is no label value as a
 * whole is read as a comma-separated list ("Yes,TRUE,1"). `absent` holds what matched nothing.
 */
export function positiveValuesAsked(given: string | readonly string[], present: ReadonlySet<string>): { found: Set<string>; absent: string[] } {
  const found = new Set<string>();
  const absent: string[] = [];
  for (const raw of typeof given === 'string' ? [given] : given) {
    const whole = raw.trim().toLowerCase();
    if (present.has(whole)) {
      found.add(whole);
      continue;
    }
    const parts = raw.split(',').map((p) => p.trim()).filter(Boolean);
    if (parts.length <= 1) {
      absent.push(raw.trim());
      continue;
    }
    for (const part of parts) {
      if (present.has(part.toLowerCase())) found.add(part.toLowerCase());
      else absent.push(part);
    }
  }
  return { found, absent };
}
