import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox } from '../../connectors/sandbox/server.js';
import { connectFromEnv } from '../../src/jobs/connectors-from-env.js';
import { demoSeedFile, loadDemoSeed } from '../../src/jobs/local-sandbox.js';
import { seedLeads } from '../sandbox/helpers.js';
import { newcomerEnv, startCli, stopLeftOver } from './cli-child.js';

let home: string;
let child: ChildProcess | null = null;

// The demo seed's leads as the sandbox loads them, counted here by parsing the file (not by the
// line-count the message comes from); parsed once for the file, as it is the whole demo seed.
let seedLeadCount: Promise<number> | null = null;
const demoSeedLeads = () => (seedLeadCount ??= loadDemoSeed().then((leads) => leads.length));
afterEach(async () => {
  await stopLeftOver(child);
  child = null;
  rmSync(home, { recursive: true, force: true });
});

describe('run on a fresh local sandbox', () => {
  it('says first, before the long seed load, how many leads from which file it seeds', async () => {
    home = mkdtempSync(join(tmpdir(), 'leadlift-seeding-'));
    const cli = startCli(['run'], newcomerEnv(home));
    child = cli.child;
    await cli.waitFor(/No CRM configured: using a local sandbox/, 150_000, 'the sandbox to be up');
    const lines = cli.stderr().split('\n');
    // Only its first two lines are checked: its cycle need not run on while the seed is counted.
    await stopLeftOver(child);
    const { file } = demoSeedFile();
    const seeded = await demoSeedLeads();
    expect(lines[0]).toBe(`Seeding the local sandbox with ${seeded.toLocaleString('en-US')} leads from ${file}…`);
    // Before the line that comes once the seed is loaded and the sandbox is up.
    expect(lines[1]).toMatch(/^No CRM configured: using a local sandbox at /);
  }, 180_000);

  it('says it too when the state file lacks the CRM asked for (the seed is read for it), and not on a restart that needs no seed', async () => {
    home = mkdtempSync(join(tmpdir(), 'leadlift-seeding-missing-'));
    // What `run --crm salesforce` leaves: a state file with no HubSpot part.
    mkdirSync(join(home, 'sandbox'));
    const made = await startSandbox({ port: 0, crm: 'salesforce', stateFile: join(home, 'sandbox', 'state.json'), seed: seedLeads(10) });
    await made.close();
    const env: NodeJS.ProcessEnv = { LEADLIFT_HOME: home, DATABASE_URL: '' };
    const connectAndSay = async (crm: 'hubspot' | 'salesforce') => {
      const said: string[] = [];
      const connections = await connectFromEnv({ env, crm, log: { info: (m) => said.push(m), warn: (m) => said.push(m) } });
      await connections.close();
      return said.filter((line) => line.startsWith('Seeding the local sandbox'));
    };
    const { file } = demoSeedFile();
    expect(await connectAndSay('hubspot')).toEqual([expect.stringMatching(new RegExp(`^Seeding the local sandbox with [\\d,]+ leads from ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}…$`))]);
    expect(await connectAndSay('hubspot')).toEqual([]);
  }, 180_000);
});

describe('start on a fresh local sandbox', () => {
  it('names the seed once, in the seeding line, before the sandbox is up', async () => {
    home = mkdtempSync(join(tmpdir(), 'leadlift-seeding-'));
    const cli = startCli(['start'], newcomerEnv(home, { LEADLIFT_SANDBOX_PORT: '0', PORT: '0' }));
    child = cli.child;
    await cli.waitFor(/Sandbox ready at /, 150_000, 'the sandbox to be up');
    const lines = cli.stderr().split('\n');
    const { file } = demoSeedFile();
    const seeded = await demoSeedLeads();
    // start's log line (a time and a level before it) is the first thing said, and names the file.
    expect(lines[0].endsWith(` INFO  Seeding the local sandbox with ${seeded.toLocaleString('en-US')} leads from ${file}…`), lines[0]).toBe(true);
    expect(lines[1]).toMatch(/^Sandbox ready at /);
    expect(cli.stderr().split(file).length - 1, 'times the seed file is named').toBe(1);
  }, 180_000);
});
