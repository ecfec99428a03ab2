import pg from 'pg';
import { parseDatabaseUrl } from './database-url.js';
import { StoreConnectionError } from './errors.js';
import { POOL_SIZE, POOL_WAIT_MS } from './postgres-connection.js';

/**
 * Why a PostgreSQL connection in use went away, from the driver's code. The driver's own message
 * is not repeated: it may quote connection details, and these words say what to check.
 */
const REASONS: Record<string, string> = {
  '57P01': 'the server ended the connection (an administrator, a restart or a failover)',
  '57P02': 'the server crashed or is shutting down',
  '57P03': 'the server is starting up or shutting down and accepts no connections yet',
  ECONNRESET: 'the network connection was reset',
  ECONNREFUSED: 'connection refused; is PostgreSQL running and listening on that host and port?',
  EPIPE: 'the network connection was closed',
  ETIMEDOUT: 'the network connection timed out',
};

/** Messages of node-postgres for a client whose connection is gone (no code attached). */
const GONE = /^(Connection terminated unexpectedly$|Connection terminated$|Client was closed and is not queryable|Client has encountered a connection error and is not queryable)/;

/** pg-pool's message when a new connection could not be opened within connectionTimeoutMillis (postgres-connection.ts: 10 s): not a connection lost. */
const CHECKOUT_TIMEOUT = /^Connection terminated due to connection timeout$/;
const CHECKOUT_TIMEOUT_REASON = `no connection could be opened within the ${POOL_WAIT_MS / 1000} s the pool waits (PostgreSQL did not answer in time, or is unreachable from here)`;

/**
 * pg-pool's message when all POOL_SIZE connections stayed in use for connectionTimeoutMillis: the
 * database is reachable but slow to answer (statements waiting on locks, an overloaded server),
 * or this process had more under way than its pool holds. Without its own words it read as the
 * driver's bare "timeout exceeded when trying to connect", which sends an admin to the network.
 */
const POOL_BUSY = /^timeout exceeded when trying to connect$/;
const POOL_BUSY_REASON = `all ${POOL_SIZE} of this process's connections stayed busy for ${POOL_WAIT_MS / 1000} s (statements waiting on locks, or an overloaded database; see pg_stat_activity)`;

/** The codes of a network failure; counted only on an error that is the driver's own (isDriverSocketError). */
const NETWORK_CODES = new Set(Object.keys(REASONS).filter((code) => code.startsWith('E')));

/**
 * Whether `err` says the connection to PostgreSQL went away mid-work (a restart, a failover, a
 * terminated backend, the network), as opposed to a statement the database refused. Only what
 * carries node-postgres's marks counts: a server error (pg's DatabaseError, with its severity) of
 * a connection class, pg's own messages, or the bare socket error pg hands on as it is. A CRM
 * call's network error (node-fetch's FetchError, axios's) carries the same codes, and must be
 * reported as the CRM's, not as the store's, even when the store is PostgreSQL.
 */
export function isLostPostgresConnection(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (isServerError(err)) return code in REASONS || code.startsWith('08');
  if (GONE.test(message) || CHECKOUT_TIMEOUT.test(message) || POOL_BUSY.test(message)) return true;
  if (!NETWORK_CODES.has(code)) return false;
  // A host with several addresses (localhost as ::1 and 127.0.0.1, a managed database's IPs):
  // Node reports a refused connect as one AggregateError of the per-address socket errors.
  if (err instanceof AggregateError) return err.errors.length > 0 && err.errors.every((one) => NETWORK_CODES.has(String((one as { code?: unknown }).code)) && isDriverSocketError(one));
  // A TLS store (sslmode=require) dropped during the handshake: Node's TLS error, no syscall.
  if (code === 'ECONNRESET' && TLS_DROPPED.test(message)) return true;
  return isDriverSocketError(err);
}

const TLS_DROPPED = /^Client network socket disconnected before secure TLS connection was established$/;

/** pg's DatabaseError: what the server sent (it always carries a severity), not a client-side failure. */
function isServerError(err: unknown): boolean {
  return err instanceof pg.DatabaseError || typeof (err as { severity?: unknown } | null)?.severity === 'string';
}

/**
 * The socket's own error, as node-postgres passes it to the statement under way: Node's system
 * error ("read ECONNRESET", "connect ECONNREFUSED 10.0.0.5:5432") with its syscall, not wrapped.
 * HTTP clients wrap theirs: node-fetch's FetchError keeps the code but no syscall and says
 * "request to … failed", axios marks its own.
 */
function isDriverSocketError(err: unknown): boolean {
  const e = err as { syscall?: unknown; code?: unknown; message?: unknown; name?: unknown; isAxiosError?: unknown };
  if (typeof e.syscall !== 'string' || e.isAxiosError === true || e.name !== 'Error') return false;
  return typeof e.message === 'string' && e.message.startsWith(`${e.syscall} ${String(e.code)}`);
}

/**
 * The error a cycle reports when its store connection went away: which database (the way
 * start-up errors name it, password masked), why, and that what is stored stays. `location` is
 * the store's masked DATABASE_URL; `kept` says what of this cycle survives.
 */
export function lostPostgresConnectionError(err: unknown, location: string, during: string, kept: string): StoreConnectionError {
  const target = parseDatabaseUrl(location);
  const code = (err as { code?: unknown }).code;
  const message = (err as { message?: unknown }).message;
  const why =
    (typeof message === 'string' && CHECKOUT_TIMEOUT.test(message) && CHECKOUT_TIMEOUT_REASON) ||
    (typeof message === 'string' && POOL_BUSY.test(message) && POOL_BUSY_REASON) ||
    (typeof code === 'string' && REASONS[code]) ||
    (typeof code === 'string' && code.startsWith('08') ? `the connection failed (${code})` : 'the connection closed unexpectedly');
  return new StoreConnectionError(
    `Lost the connection to PostgreSQL database "${target.database}" on ${target.host}:${target.port} as user "${target.user}" (DATABASE_URL=${target.masked}) during the ${during}: ${why}; ${kept}. ` +
      // `run` prints this too, so the advice names both ways a next cycle comes.
      "Check that PostgreSQL is up and reachable; the next cycle (serve's schedule, or the next `leadlift run`) tries again.",
    1,
    { cause: err },
  );
}
