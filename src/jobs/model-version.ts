/**
 * A model version a rep can read on a lead and a manager can sort: the UTC time it was trained,
 * e.g. "2024-11-23.182205". A second model within the same second gets "-2", "-3"….
 */
export function modelVersionAt(ms: number, taken: ReadonlySet<string>): string {
  const iso = new Date(ms).toISOString();
  const base = `${iso.slice(0, 10)}.${iso.slice(11, 19).replace(/:/g, '')}`;
  let version = base;
  for (let n = 2; taken.has(version); n++) version = `${base}-${n}`;
  return version;
}
