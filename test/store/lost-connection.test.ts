import { createServer, type Server, type Socket } from 'node:net';
import fetch from 'node-fetch';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { lostStoreCycle } from '../../src/jobs/lost-store-cycle.js';
import { isLostPostgresConnection } from '../../src/store/lost-connection.js';
import { freePort } from '../free-port.js';

const databaseUrl = process.env.LEADLIFT_TEST_DATABASE_URL;
const LOCATION = 'postgres://leadlift:****@127.0.0.1:5432/leadlift';

/**
 * Only what node-postgres raises counts as a lost store connection: a CRM call's network error
 * carries the same codes (ECONNRESET, ECONNREFUSED…) and must stay the CRM's, even on a
 * PostgreSQL store. Every error here is a real one, from the real driver or HTTP client.
 */
describe('which errors are a lost PostgreSQL connection', () => {
  let server: Server | undefined;
  const held: Socket[] = [];
  afterEach(async () => {
    for (const socket of held.splice(0)) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** A server that takes connections and then does `onSocket` with them (never answers PostgreSQL). */
  async function listen(onSocket: (socket: Socket) => void): Promise<number> {
    server = createServer((socket) => {
      held.push(socket);
      onSocket(socket);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    return (server.address() as { port: number }).port;
  }

  it('a CRM request refused or reset (node-fetch, as the SDKs use it) is not, whatever its code', async () => {
    const refused = await fetch(`http://127.0.0.1:${await freePort()}/crm/v3/objects/contacts`).catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('ECONNREFUSED');
    expect(isLostPostgresConnection(refused)).toBe(false);
    const port = await listen((socket) => socket.resetAndDestroy());
    const reset = await fetch(`http://127.0.0.1:${port}/services/data/`).catch((e: unknown) => e);
    expect((reset as { code?: string }).code).toBe('ECONNRESET');
    expect(isLostPostgresConnection(reset)).toBe(false);
  });

  it("node-postgres's own socket errors are: refused, and reset by the server", async () => {
    const refused = await new pg.Client({ host: '127.0.0.1', port: await freePort(), user: 'u', database: 'd' }).connect().catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('ECONNREFUSED');
    expect(isLostPostgresConnection(refused)).toBe(true);
    const port = await listen((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'u', database: 'd' });
    client.on('error', () => undefined);
    const reset = await client.connect().catch((e: unknown) => e);
    expect(isLostPostgresConnection(reset), String(reset)).toBe(true);
  });

  it('a refused connect to a host of several addresses (one AggregateError from Node) is', async () => {
    const port = await freePort();
    const refused = await new pg.Client({ host: 'localhost', port, user: 'u', database: 'd' }).connect().catch((e: unknown) => e);
    expect((refused as { code?: string }).code).toBe('ECONNREFUSED');
    // Where localhost has one address only, Node gives the plain error, which counts as well.
    expect(isLostPostgresConnection(refused), String(refused)).toBe(true);
    const many = new AggregateError([refused, refused], '');
    Object.assign(many, { code: 'ECONNREFUSED' });
    expect(isLostPostgresConnection(many)).toBe(true);
  });

  it('a TLS store dropped during the handshake is', async () => {
    // Answers "S" (TLS accepted) to pg's SSLRequest, then resets: what a store behind TLS does when it goes away then.
    const port = await listen((socket) => socket.once('data', () => { socket.write('S'); setTimeout(() => socket.resetAndDestroy(), 20); }));
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'u', database: 'd', ssl: { rejectUnauthorized: false } });
    client.on('error', () => undefined);
    const dropped = await client.connect().catch((e: unknown) => e);
    expect((dropped as { code?: string }).code, String(dropped)).toBe('ECONNRESET');
    expect(isLostPostgresConnection(dropped), String(dropped)).toBe(true);
  });

  it("pg-pool's connect timeout is, with its own reason, not a connection closed", async () => {
    const port = await listen(() => undefined);
    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'u', database: 'd', connectionTimeoutMillis: 200 });
    pool.on('error', () => undefined);
    try {
      const timeout = await pool.query('select 1').catch((e: unknown) => e);
      expect((timeout as Error).message).toBe('Connection terminated due to connection timeout');
      expect(isLostPostgresConnection(timeout)).toBe(true);
      const said = lostStoreCycle(timeout, LOCATION, 'sync').message;
      expect(said).toContain('during the sync: no connection could be opened within the 10 s the pool waits');
      expect(said).not.toContain('closed unexpectedly');
    } finally {
      await pool.end().catch(() => undefined);
    }
  });

  it("pg-pool's wait for a busy pool is, said as every connection busy, not as PostgreSQL unreachable", async () => {
    // One connection, held by a connect the server never answers: the next statement queues for
    // it and pg-pool gives up on the wait, as it does when all of a real pool's are in use.
    const port = await listen(() => undefined);
    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'u', database: 'd', max: 1, connectionTimeoutMillis: 200 });
    pool.on('error', () => undefined);
    try {
      const holding = pool.query('select 1').catch((e: unknown) => e);
      const waited = await pool.query('select 2').catch((e: unknown) => e);
      expect((waited as Error).message).toBe('timeout exceeded when trying to connect');
      expect(isLostPostgresConnection(waited)).toBe(true);
      const said = lostStoreCycle(waited, LOCATION, 'push').message;
      expect(said).toContain("during the write-back to the CRM: all 10 of this process's connections stayed busy for 10 s");
      expect(said).not.toContain('closed unexpectedly');
      expect(said).not.toContain('timeout exceeded');
      await holding;
    } finally {
      await pool.end().catch(() => undefined);
    }
  });

  it.skipIf(!databaseUrl)('a statement the server refuses is not; the server ending the session is', async () => {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const refused = await client.query('selec 1').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(pg.DatabaseError);
      expect(isLostPostgresConnection(refused)).toBe(false);
      const ended = await client.query('select pg_terminate_backend(pg_backend_pid())').catch((e: unknown) => e);
      expect((ended as { code?: string }).code).toBe('57P01');
      expect(isLostPostgresConnection(ended)).toBe(true);
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  it('says what survives of each step and how a next cycle comes, for serve and run alike', () => {
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    const push = lostStoreCycle(lost, LOCATION, 'push').message;
    expect(push).toContain('during the write-back to the CRM: the network connection was reset; what was synced and scored is kept; the next cycle resumes from it and writes what it has not recorded as written.');
    expect(lostStoreCycle(lost, LOCATION, 'train').message).toContain('what was synced is kept and the model in service is the one the store shows; the next cycle resumes from it.');
    expect(push).toMatch(/Check that PostgreSQL is up and reachable; the next cycle \(serve's schedule, or the next `leadlift run`\) tries again\.$/);
    expect(push).not.toContain('`serve` tries again');
  });
});
