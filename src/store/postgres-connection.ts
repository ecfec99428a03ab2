import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { ConfigError } from '../domain/errors.js';
import type { Database } from './schema.js';
import { ClosingClient } from './closing-pg-client.js';
import { parseDatabaseUrl, scrub, type DatabaseTarget } from './database-url.js';
import { StoreConnectionError } from './errors.js';

export interface PostgresConnection {
  db: Kysely<Database>;
  target: DatabaseTarget;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Connections each process opens at most. A cycle uses two at its busiest (measured on the demo:
 * sync, training, scoring, write-back), leaving the rest to webhook batches (HubSpot sends up to
 * 10 at once), admin pages and a rescore; instances × POOL_SIZE must stay under the server's
 * max_connections (README "Several instances on one store").
 */
export const POOL_SIZE = 10;

/** How long a statement waits for a new connection, or for one of POOL_SIZE to come free. */
export const POOL_WAIT_MS = 10_000;

/**
 * Opens a pool on DATABASE_URL and proves it works with one round trip, so a wrong host or
 * password fails at start-up with a message naming the host and database, not on the first sync.
 * `schema` (optional) confines every table to one PostgreSQL schema through search_path.
 */
export async function connectPostgres(databaseUrl: string, schema?: string): Promise<PostgresConnection> {
  const target = parseDatabaseUrl(databaseUrl);
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new ConfigError('schema', `"${schema}" is not a plain PostgreSQL schema name (lower-case letters, digits, _)`);
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    connectionTimeoutMillis: POOL_WAIT_MS,
    max: POOL_SIZE,
    // A failed connect must not leave its socket open, or the process never exits (see ClosingClient).
    Client: ClosingClient,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its server emits 'error' on the pool; without a listener Node exits.
  pool.on('error', () => undefined);
  // A client handed out (a statement or transaction under way) has no pool listener, so losing its
  // server (a restart, a failover) would end the process the same way. Heard here, it fails the
  // statement under way instead, and the cycle reports that (lost-connection.ts).
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw postgresConnectionError(err, target);
  }
  return { db, target };
}

export function postgresConnectionError(err: unknown, target: DatabaseTarget): StoreConnectionError {
  const where = `PostgreSQL database "${target.database}" on ${target.host}:${target.port} as user "${target.user}" (DATABASE_URL=${target.masked})`;
  return new StoreConnectionError(`Cannot connect to ${where}: ${scrub(reason(err), target)}`);
}

function reason(err: unknown): string {
  const e = err as { code?: string; message?: string } | undefined;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused; is PostgreSQL running and listening on that host and port?';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found; check the host name in DATABASE_URL';
    case 'ETIMEDOUT':
      return 'timed out; check the host, port and any firewall';
    case '28P01':
      return 'password authentication failed; check the user and password in DATABASE_URL';
    case '28000':
      return 'the server refused this user (pg_hba.conf or role missing)';
    case '3D000':
      return 'the database does not exist; create it or fix its name in DATABASE_URL';
    case '42501':
      return 'permission denied; the user needs rights to create tables in this database';
    default:
      // pg's own wording when the server asks for a password (SCRAM) and the URL gives none.
      if (/client password must be a (non-empty )?string/.test(e?.message ?? '')) {
        return 'the server asks for a password and DATABASE_URL has none; add it as postgres://USER:PASSWORD@HOST:5432/DATABASE (percent-encode special characters in the password)';
      }
      return e?.message ?? String(err);
  }
}
