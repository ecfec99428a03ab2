import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

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

/**
 * A temp folder with the synthetic leads and a small, fast model config, and a runner for the
 * real `leadlift` binary against it (a child process, as a user runs it).
 */
export function useCliWorkspace(prefix: string) {
  const ws = {
    bin: fileURLToPath(new URL('../../src/cli/leadlift.mjs', import.meta.url)),
    dir: '',
    csv: '',
    env: {} as NodeJS.ProcessEnv,
    run: (args: string[], env?: NodeJS.ProcessEnv) => spawnSync(process.execPath, [ws.bin, ...args], { encoding: 'utf8', env: env ?? ws.env }),
  };
  beforeAll(() => {
    ws.dir = mkdtempSync(join(tmpdir(), prefix));
    ws.csv = join(ws.dir, 'leads.csv');
    writeSyntheticLeads(ws.csv);
    const config = join(ws.dir, 'config.json');
    writeFileSync(config, JSON.stringify({ model: { trees: 30, threads: 1 } }));
    ws.env = { ...process.env, LEADLIFT_CONFIG: config };
  });
  afterAll(() => rmSync(ws.dir, { recursive: true, force: true }));
  return ws;
}
