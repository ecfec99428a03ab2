import { writeFileSync } from 'node:fs';

/**
 * A small lead history with a known signal: referrals and frequent visitors convert more.
 * Rows are written newest last with a `created` date, like a CRM export.
 */
export function writeSyntheticLeads(path: string, rows = 600): void {
  let s = 20240601;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const sources = ['Web', 'Referral', 'Ads', 'web '];
  const lines = ['id,created,source,visits,country,converted'];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < rows; i++) {
    const source = sources[Math.floor(rnd() * sources.length)];
    const visits = Math.floor(rnd() * 20);
    const country = rnd() < 0.5 ? 'PT' : 'ES';
    const logit = -2 + (source === 'Referral' ? 2 : 0) + visits * 0.15 + (rnd() - 0.5);
    const converted = rnd() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no';
    const created = new Date(start + i * 3_600_000 * 7).toISOString().slice(0, 10);
    lines.push(`L${i},${created},"${source}",${rnd() < 0.05 ? '' : visits},${country},${converted}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
