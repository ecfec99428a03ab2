/**
 * Whether two sets of input values are exactly the same: the same names, each with the same
 * value. Property order does not count (a CRM returns properties in any order).
 */
export function sameValues(a: Readonly<Record<string, string | null>>, b: Readonly<Record<string, string | null>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
