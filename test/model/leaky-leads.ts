/**
 * Leads with a real signal (visits, source) and leaks that give the outcome away on the oldest
 * rows only: `leaks` maps a column to the row it stops leaking at. Before it a converted lead
 * holds 60-99 and the others 0-39; from it on the other way round, so rows past it hide the leak
 * from a guard that looks at them too (leaky on the oldest 80%: single-feature AUC 1.00 there,
 * about 0.80 on every row). Optionally a `created` date per row, one day apart, oldest first, and
 * `previous_visits`: a fair signal, empty before row `previousFrom` (a field filled in lately).
 */
export function leakyLeadsCsv(rows: number, leaks: Record<string, number>, options: { created?: boolean; previousFrom?: number } = {}): string {
  let s = 7;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const columns = Object.keys(leaks);
  const previous = options.previousFrom !== undefined;
  const lines = [[...(options.created ? ['created'] : []), 'source', 'visits', ...(previous ? ['previous_visits'] : []), ...columns, 'converted'].join(',')];
  const start = Date.UTC(2023, 0, 1);
  for (let i = 0; i < rows; i++) {
    const source = rnd() < 0.3 ? 'Referral' : 'Web';
    const visits = Math.floor(rnd() * 20);
    const logit = -1.5 + (source === 'Referral' ? 1.5 : 0) + visits * 0.1;
    const won = rnd() < 1 / (1 + Math.exp(-logit));
    const leaked = columns.map((c) => (won === i < leaks[c] ? 60 + Math.floor(rnd() * 40) : Math.floor(rnd() * 40)));
    const created = options.created ? [new Date(start + i * 86_400_000).toISOString().slice(0, 10)] : [];
    const previousVisits = previous ? [i < options.previousFrom! ? '' : Math.floor(rnd() * 7) + (won ? 3 : 0)] : [];
    lines.push([...created, source, visits, ...previousVisits, ...leaked, won ? 'yes' : 'no'].join(','));
  }
  return `${lines.join('\n')}\n`;
}
