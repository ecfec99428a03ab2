import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSandbox } from '../../connectors/sandbox/server.js';
import { connectFromEnv } from '../../src/jobs/connectors-from-env.js';
import { seedLeads } from '../sandbox/helpers.js';

let home: string;
// Nothing listens on port 1: were this URL used, connecting would fail.
const env = () => ({ LEADLIFT_HOME: home, DATABASE_URL: 'postgres://someone:s3cret-pass@127.0.0.1:1/leads' });

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-ignored-url-'));
  // A small saved sandbox, so connectFromEnv loads it instead of the 41,188-lead demo seed.
  mkdirSync(join(home, 'sandbox'), { recursive: true });
  const sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed: seedLeads(30), stateFile: join(home, 'sandbox', 'state.json') });
  await sandbox.close();
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(home, { recursive: true, force: true });
});

describe('DATABASE_URL with the local sandbox', () => {
  it('is not used, and says so once, naming the store that is', async () => {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
    for (let i = 0; i < 2; i++) {
      const connections = await connectFromEnv({ env: env() });
      try {
        expect(connections.sandbox).not.toBeNull();
        expect(connections.store.kind).toBe('sqlite');
        expect(connections.store.location).toBe(join(home, 'sandbox', 'leadlift.db'));
      } finally {
        await connections.close();
      }
    }
    const warnings = written.filter((line) => line.includes('DATABASE_URL'));
    expect(warnings).toEqual([
      `leadlift: warning: DATABASE_URL is set but not used: with no CRM configured, leadlift runs on the local sandbox, whose store is always SQLite beside its state (${join(home, 'sandbox', 'leadlift.db')}). Configure a CRM (see .env.example) to use the PostgreSQL database DATABASE_URL names.\n`,
    ]);
    expect(written.join('')).not.toContain('s3cret-pass');
  });
});
