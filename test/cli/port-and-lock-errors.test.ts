import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leadliftBin, newcomerEnv, startCli, stopLeftOver } from './cli-child.js';

let home: string;
let taken: Server | null = null;
let child: ChildProcess | null = null;

const childEnv = (extra: Record<string, string> = {}) => newcomerEnv(home, extra);

function leadlift(args: string[], extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [leadliftBin, ...args], { encoding: 'utf8', env: childEnv(extra), timeout: 60_000 });
}

/** Binds a free port on `host` and keeps it, as another program would. */
async function takePort(host: string): Promise<number> {
  taken = createServer();
  const server = taken;
  await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
  return (server.address() as { port: number }).port;
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'leadlift-cli-'));
});
afterEach(async () => {
  await stopLeftOver(child);
  child = null;
  await new Promise<void>((resolve) => (taken ? taken.close(() => resolve()) : resolve()));
  taken = null;
  rmSync(home, { recursive: true, force: true });
});

describe('a taken port is a one-line error that names the setting to change', () => {
  it('leadlift sandbox: names --port, exits 2', async () => {
    const port = await takePort('127.0.0.1');
    const r = leadlift(['sandbox', '--port', String(port)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`leadlift: port ${port} is in use (another leadlift, sandbox or app is listening there): stop it, or choose another port with --port N (0 = any free port).\n`);
  });

  it('leadlift serve: names --port and PORT, exits 2 before the sandbox folder is touched', async () => {
    // serve listens on 0.0.0.0; on Linux a listener on 127.0.0.1 alone already takes that port from
    // it, so the squatter need not be reachable from the LAN.
    const port = await takePort('127.0.0.1');
    // LOG_FORMAT=text: the plain line a terminal shows (off one, serve's log is JSON: below).
    const byFlag = leadlift(['serve', '--port', String(port)], { LOG_FORMAT: 'text' });
    expect(byFlag.status).toBe(2);
    expect(byFlag.stderr).toMatch(new RegExp(`^leadlift: port ${port} is in use .*choose another port with --port N \\(0 = any free port\\)\\.\\n$`));
    // Under LOG_FORMAT=json the same words are one JSON event, at error, with the exit code.
    const json = leadlift(['serve', '--port', String(port)], { LOG_FORMAT: 'json' });
    expect(json.status).toBe(2);
    expect(json.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ level: 'error', exitCode: 2, msg: expect.stringMatching(new RegExp(`^port ${port} is in use .*choose another port with --port N`)) });
    const byEnv = leadlift(['serve'], { PORT: String(port), LOG_FORMAT: 'text' });
    expect(byEnv.status).toBe(2);
    expect(byEnv.stderr).toContain('choose another port with --port N or PORT=N');
    expect(byEnv.stderr).not.toContain('unexpected failure');
    expect(existsSync(join(home, 'sandbox'))).toBe(false);
    expect(existsSync(join(home, 'sandbox.lock'))).toBe(false);
  });

  it('leadlift run on the local sandbox: takes LEADLIFT_SANDBOX_PORT, as serve and start do', async () => {
    const port = await takePort('127.0.0.1');
    const taken = leadlift(['run'], { LEADLIFT_SANDBOX_PORT: String(port) });
    expect(taken.status).toBe(2);
    expect(taken.stderr).toContain(`leadlift: port ${port} is in use (another leadlift, sandbox or app is listening there): stop it, or choose another port with LEADLIFT_SANDBOX_PORT=N`);
    const bad = leadlift(['run'], { LEADLIFT_SANDBOX_PORT: '40l0' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('LEADLIFT_SANDBOX_PORT must be a port number 0-65535 (got "40l0")');
    expect(existsSync(join(home, 'sandbox'))).toBe(false);
  });

  it('leadlift start: names LEADLIFT_SANDBOX_PORT for the sandbox and PORT for the admin pages', async () => {
    const port = await takePort('127.0.0.1');
    const sandbox = leadlift(['start'], { LEADLIFT_SANDBOX_PORT: String(port), PORT: '0' });
    expect(sandbox.status).toBe(2);
    expect(sandbox.stderr).toContain(`leadlift: port ${port} is in use (another leadlift, sandbox or app is listening there): stop it, or choose another port with LEADLIFT_SANDBOX_PORT=N`);
    const admin = leadlift(['start'], { LEADLIFT_SANDBOX_PORT: '0', PORT: String(port) });
    expect(admin.status).toBe(2);
    expect(admin.stderr).toContain(`leadlift: port ${port} is in use (another leadlift, sandbox or app is listening there): stop it, or choose another port with PORT=N`);
    expect(existsSync(join(home, 'sandbox'))).toBe(false);
  });

  it('leadlift serve on the local sandbox: names LEADLIFT_SANDBOX_PORT when its port is taken, and refuses one that is no port', async () => {
    const port = await takePort('127.0.0.1');
    // A short timeout: a serve that ignored the setting would seed and run on instead of exiting.
    const serve = (extra: Record<string, string>) => spawnSync(process.execPath, [leadliftBin, 'serve'], { encoding: 'utf8', env: childEnv({ PORT: '0', LOG_FORMAT: 'text', ...extra }), timeout: 20_000 });
    const taken = serve({ LEADLIFT_SANDBOX_PORT: String(port) });
    expect(taken.status).toBe(2);
    expect(taken.stderr).toBe(`leadlift: port ${port} is in use (another leadlift, sandbox or app is listening there): stop it, or choose another port with LEADLIFT_SANDBOX_PORT=N (0 = any free port).\n`);
    const bad = serve({ LEADLIFT_SANDBOX_PORT: '40l0' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('leadlift: LEADLIFT_SANDBOX_PORT must be a port number 0-65535 (got "40l0")\n');
    // Node's fetch (and a browser) refuse 4190: the server's own calls to a sandbox there failed unseen.
    const blocked = serve({ LEADLIFT_SANDBOX_PORT: '4190' });
    expect(blocked.status).toBe(2);
    expect(blocked.stderr).toContain("leadlift: LEADLIFT_SANDBOX_PORT 4190 is a port browsers and Node's fetch refuse to connect to");
    const admin = spawnSync(process.execPath, [leadliftBin, 'serve', '--port', '6000'], { encoding: 'utf8', env: childEnv({ LOG_FORMAT: 'text' }), timeout: 20_000 });
    expect(admin.status).toBe(2);
    expect(admin.stderr).toContain('leadlift: --port 6000 is a port browsers');
    expect(existsSync(join(home, 'sandbox'))).toBe(false);
  });

  it('leadlift start: a LOG_LEVEL it does not know exits 2 before the previous sandbox is replaced', () => {
    mkdirSync(join(home, 'sandbox'), { recursive: true });
    writeFileSync(join(home, 'sandbox', 'leadlift.db'), 'the previous demo’s store');
    const r = leadlift(['start'], { LOG_LEVEL: 'verbose', LEADLIFT_SANDBOX_PORT: '0', PORT: '0' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('leadlift: Configuration "LOG_LEVEL": must be error, warn, info or debug (it is "verbose")\n');
    expect(readFileSync(join(home, 'sandbox', 'leadlift.db'), 'utf8')).toBe('the previous demo’s store');
  });
});

describe('a second process against the same local sandbox', () => {
  it('leadlift run is refused with the running one named, exits 2, and deletes nothing', () => {
    mkdirSync(join(home, 'sandbox'), { recursive: true });
    writeFileSync(join(home, 'sandbox', 'leadlift.db'), 'the running server’s store');
    // This test process stands in for the `npm start` still running.
    writeFileSync(join(home, 'sandbox.lock'), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'leadlift start', nonce: 'n' }));
    const r = leadlift(['run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`another leadlift is already running against the local sandbox (pid ${process.pid}, \`leadlift start\`, started 2026-01-01T00:00:00.000Z): stop it, or set LEADLIFT_HOME to another folder.`);
    expect(readFileSync(join(home, 'sandbox', 'leadlift.db'), 'utf8')).toBe('the running server’s store');
  });
});

describe('leadlift sandbox without --seed', () => {
  it('says how to seed it', async () => {
    const sandbox = startCli(['sandbox', '--port', '0', '--crm', 'hubspot'], childEnv());
    child = sandbox.child;
    await sandbox.waitFor(/holds no leads[^]*\n/, 45_000, 'the seeding hint');
    sandbox.child.kill('SIGINT');
    expect(await sandbox.exited).toBe(0);
    expect(sandbox.stderr()).toContain('leadlift sandbox: it holds no leads yet. To seed it, restart with --seed FILE --label COL (and --positive VALUE unless the label is a yes/no column)');
  });
});
