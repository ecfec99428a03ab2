import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@hubspot/api-client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { leadliftBin, stopLeftOver } from './cli-child.js';

const sample = new URL('../../config/sample/bank-marketing-sample.csv', import.meta.url).pathname;
const valueLabels = new URL('../../config/sample/bank-marketing-value-labels.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'leadlift-option-labels-'));
let child: ChildProcess | null = null;

afterEach(async () => {
  await stopLeftOver(child);
  child = null;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts `leadlift sandbox` and resolves with its stdout's ready lines and stderr so far. */
async function startSandboxCli(args: string[]): Promise<{ hubspotUrl: string; token: string; stderr: () => string }> {
  const started = spawn(process.execPath, [leadliftBin, 'sandbox', '--port', '0', '--crm', 'hubspot', ...args], { env: { ...process.env, LEADLIFT_HOME: dir } });
  child = started;
  let stdout = '';
  let stderr = '';
  started.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    started.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/Control API: .*\n/.test(stdout)) resolve();
    });
    started.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${stderr}`)));
  });
  return {
    hubspotUrl: /HubSpot basePath: (\S+)/.exec(stdout)![1],
    token: /Access token: (\S+)/.exec(stdout)![1],
    stderr: () => stderr,
  };
}

describe('leadlift sandbox --option-labels FILE', () => {
  it('seeds the named columns as dropdowns with those option labels, the records keeping the stored values', async () => {
    const sandbox = await startSandboxCli(['--seed', sample, '--label', 'y', '--option-labels', valueLabels]);
    const sdk = new Client({ accessToken: sandbox.token, basePath: sandbox.hubspotUrl });
    const month = await sdk.crm.properties.coreApi.getByName('contacts', 'month');
    expect([month.type, month.fieldType]).toEqual(['enumeration', 'select']);
    expect(month.options.find((o) => o.value === 'may')?.label).toBe('May');
    const poutcome = await sdk.crm.properties.coreApi.getByName('contacts', 'poutcome');
    expect(poutcome.options.find((o) => o.value === 'nonexistent')?.label).toBe('None (not in a previous campaign)');
    // A column the file does not name keeps its own type.
    expect((await sdk.crm.properties.coreApi.getByName('contacts', 'age')).fieldType).toBe('number');
    const page = await sdk.crm.contacts.basicApi.getPage(20, undefined, ['month']);
    expect(page.results.every((c) => /^[a-z]{3}$/.test(c.properties.month ?? ''))).toBe(true);
    expect(sandbox.stderr()).not.toContain('which the seed has no column for');
  }, 60_000);

  it('says which named columns the seed lacks, and still starts', async () => {
    const file = join(dir, 'stray.json');
    writeFileSync(file, JSON.stringify({ month: { may: 'May' }, lead_source: { web: 'Website' } }));
    const sandbox = await startSandboxCli(['--seed', sample, '--label', 'y', '--option-labels', file]);
    expect(sandbox.stderr()).toMatch(/leadlift sandbox: --option-labels names "lead_source", which the seed has no column for: it is not used\. The seed's columns: age, job, /);
    const sdk = new Client({ accessToken: sandbox.token, basePath: sandbox.hubspotUrl });
    expect((await sdk.crm.properties.coreApi.getByName('contacts', 'month')).fieldType).toBe('select');
  }, 60_000);

  it('refuses a malformed file before the seed is read, naming the file and the entry (exit 2)', () => {
    const file = join(dir, 'flat.json');
    // The shape of --labels, not of --option-labels: a value must map stored values to labels.
    writeFileSync(file, JSON.stringify({ month: 'Last contact month' }));
    const r = spawnSync(process.execPath, [leadliftBin, 'sandbox', '--port', '0', '--seed', sample, '--label', 'y', '--option-labels', file], { encoding: 'utf8', env: { ...process.env, LEADLIFT_HOME: dir }, timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`The option labels file ${file}, "month": Expected object, received string (expected {"column": {"value": "Label", …}, …})`);
    expect(r.stderr).not.toContain('Reading seed');
  });
});
