import { parseDatabaseUrl } from './database-url.js';
import { StoreConnectionError } from './errors.js';

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
const GONE = /^(Connection terminated|Client was closed and is not queryable|Client has encountered a connection error and is not queryable)/;

/**
 * Whether `err` says the connection to PostgreSQL went away mid-work (a restart, a failover, a
 * terminated backend, the network), as opposed to a statement the database refused.
 */
export function isLostPostgresConnection(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  return code in REASONS || code.startsWith('08') || (typeof e?.message === 'string' && GONE.test(e.message));
}

/**
 * The error a cycle reports when its store connection went away: which database (the way
 * start-up errors name it, password masked), why, and that what is stored stays. `location` is
 * the store's masked DATABASE_URL; `kept` says what of this cycle survives.
 */
export function lostPostgresConnectionError(err: unknown, location: string, during: string, kept: string): StoreConnectionError {
  const target = parseDatabaseUrl(location);
  const code = (err as { code?: unknown }).code;
  const why = (typeof code === 'string' && REASONS[code]) || (typeof code === 'string' && code.startsWith('08') ? `the connection failed (${code})` : 'the connection closed unexpectedly');
  return new StoreConnectionError(
    `Lost the connection to PostgreSQL database "${target.database}" on ${target.host}:${target.port} as user "${target.user}" (DATABASE_URL=${target.masked}) during the ${during}: ${why}; ${kept}. ` +
      'Check that PostgreSQL is up and reachable; `serve` tries again at its next scheduled cycle.',
    1,
    { cause: err },
  );
}
