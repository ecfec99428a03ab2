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
    expect(err).toMatch(/--seed needs --label COL \(and --positive VALUE unless the label is a yes\/no column\)/);
  });

  it('--state whose file holds no HubSpot yet and no --seed: says that HubSpot starts empty and how to seed it', async () => {
    const csv = join(dir, 'state-leads.csv');
    writeFileSync(csv, leadsCsv(20));
    const state = join(dir, 'salesforce-only.json');
    const first = startCli(['--crm', 'salesforce', '--state', state, '--seed', csv, '--label', 'Converted', '--positive', 'Yes', '--sep', ';']);
    await first.ready;
    await first.stop();

    const second = startCli(['--crm', 'both', '--state', state]);
    await second.ready;
    try {
      await expect.poll(() => second.err(), { timeout: 5000 }).toContain(`leadlift sandbox: ${state} held no HubSpot yet, so it starts empty. To seed it, restart with --seed FILE`);
      expect(second.err()).not.toContain('Salesforce yet');
    } finally {
      await second.stop();
    }
  });
});

/** `leadlift sandbox --port 0 ARGS`, resolved once it says it is ready; stop() sends SIGTERM and waits for exit 0. */
function startCli(args: string[]): { ready: Promise<void>; err(): string; stop(): Promise<void> } {
  const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Control API:')) resolve();
    });
    void exited.then((code) => reject(new Error(`sandbox exited ${code}: ${err}`)));
  });
  return {
    ready,
    err: () => err,
    async stop() {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
  };
}
