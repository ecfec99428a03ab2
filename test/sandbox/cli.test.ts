import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@hubspot/api-client';
import { afterAll, describe, expect, it } from 'vitest';
import { leadsCsv } from './helpers.js';

const bin = fileURLToPath(new URL('../../src/cli/leadlift.mjs', import.meta.url));

describe('leadlift sandbox (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-sandbox-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the base URLs and token, serves the seed to the SDK, and stops on SIGTERM', async () => {
    const csv = join(dir, 'leads.csv');
    writeFileSync(csv, leadsCsv(30));
    const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--crm', 'hubspot', '--token', 'cli-test-token', '--seed', csv, '--label', 'Converted', '--positive', 'Yes', '--order', 'Created On', '--id', 'Lead Id', '--sep', ';', '--open-fraction', '0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('Control API:')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${err}`)));
    });
    await ready;
    const basePath = /HubSpot basePath: (\S+)/.exec(out)![1];
    expect(out).toContain('Access token: cli-test-token');
    expect(out).toMatch(/HubSpot app: appId \d+, client id \S+, client secret [0-9a-f]{32}/);
    const client = new Client({ accessToken: 'cli-test-token', basePath });
    const all = await client.crm.contacts.getAll(100, undefined, ['lead_id']);
    expect(all.map((c) => c.properties.lead_id).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `L-${1000 + i}`).sort());
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('exits 2 with the flag named when --seed lacks --label', async () => {
    const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', '--seed', 'x.csv'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/--seed needs --label COL and --positive VALUE/);
  });
});
