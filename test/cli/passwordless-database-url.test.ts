import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newcomerEnv, startCli, stopLeftOver, type RunningCli } from './cli-child.js';

// pg left the socket open after its own SCRAM error ("client password must be a string"), so the
// CLI printed the error and then hung until the server's authentication timeout (a minute).
const pgUrl = process.env.LEADLIFT_TEST_DATABASE_URL;

describe.skipIf(!pgUrl)('a DATABASE_URL without a password against a SCRAM server', () => {
  let cli: RunningCli | undefined;
  let home: string | undefined;
  afterEach(async () => {
    await stopLeftOver(cli?.child ?? null);
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('prints what is missing and exits 1 at once', async () => {
    home = mkdtempSync(join(tmpdir(), 'leadlift-nopw-'));
    const url = new URL(pgUrl!);
    url.password = '';
    // A configured HubSpot (never contacted by forget) makes forget use DATABASE_URL; no
    // PGPASSWORD or .pgpass may hand pg the password behind the test's back.
    const env = newcomerEnv(home, { DATABASE_URL: url.toString(), HUBSPOT_ACCESS_TOKEN: 'pat-test', PGPASSFILE: join(home, 'no-pgpass') });
    delete env.PGPASSWORD;
    const started = Date.now();
    cli = startCli(['forget', '--crm', 'hubspot', '--lead', '101'], env);
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('still running after 15 s'), 15_000).unref());
    const outcome = await Promise.race([cli.exited, timeout]);
    expect(outcome, cli.stderr()).toBe(1);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(cli.stderr()).toMatch(/Cannot connect to PostgreSQL database .*the server asks for a password and DATABASE_URL has none/);
  });
});
