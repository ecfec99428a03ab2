import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import type { CrmName, Cursor, LeadRecord, OutcomeRecord } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { auditRepository } from './audit.js';
import { checkpointsRepository } from './checkpoints.js';
import { endedSessionsRepository } from './ended-sessions.js';
import { commitPage, type CommitPageOptions, type CommitPageResult } from './commit-page.js';
import { forgetLeads, type ForgetResult } from './forget-leads.js';
import { forgetCrmData, type ForgetCrmResult } from './forget-crm.js';
import { forgottenLeadsRepository } from './forgotten-leads.js';
import { reinstateForgotten } from './forgotten-set-aside.js';
import { migrateToLatest } from './migrate.js';
import { modelsRepository } from './models.js';
import { oauthStatesRepository } from './oauth-states.js';
import { openLeadsRepository } from './open-leads.js';
import { outcomesRepository } from './outcomes.js';
import { connectPostgres, postgresConnectionError } from './postgres-connection.js';
import { rateLimitHitsRepository } from './rate-limit-hits.js';
import { pruneStore, type PruneResult, type RetentionPolicy } from './prune.js';
import { recordsRepository } from './records.js';
import { runLockRepository } from './run-lock.js';
import { runsRepository } from './runs.js';
import { scoreReferencesRepository } from './score-references.js';
import { scoresRepository } from './scores.js';
import { settingsRepository } from './settings.js';
import { snapshotsRepository } from './snapshots.js';
import { stagedOutcomesRepository } from './staged-outcomes.js';
import { tierCutoffsRepository } from './tier-cutoffs.js';
import { connectSqlite } from './sqlite-connection.js';
import { releaseFreePages } from './sqlite-free-space.js';
import { parseSecretKey } from './token-cipher.js';
import { tokensRepository } from './tokens.js';
import { webhookEventsRepository } from './webhook-events.js';
import { inTransaction } from './transaction.js';

export interface StoreOptions {
  /** PostgreSQL when set (default: env DATABASE_URL); otherwise, or when "", SQLite in `home`. */
  databaseUrl?: string;
  /** Folder for leadlift.db (default: env LEADLIFT_HOME, else ./.leadlift). */
  home?: string;
  /** AES-256 key for OAuth tokens (default: env LEADLIFT_SECRET_KEY); read only when tokens are used. */
  secretKey?: string;
  /** PostgreSQL only: keep every table in this schema (created if missing) via search_path. */
  pgSchema?: string;
  /** Where a schema upgrade is said ("store schema updated: 008, 009"): `serve`'s log at info; default a `leadlift: ` line on stderr. */
  log?: (line: string) => void;
}

export function repositories(db: Kysely<Database>, secretKey: () => Buffer) {
  return {
    records: recordsRepository(db),
    checkpoints: checkpointsRepository(db),
    outcomes: outcomesRepository(db),
    stagedOutcomes: stagedOutcomesRepository(db),
    snapshots: snapshotsRepository(db),
    scores: scoresRepository(db),
    openLeads: openLeadsRepository(db),
    scoreReferences: scoreReferencesRepository(db),
    tierCutoffs: tierCutoffsRepository(db),
    forgottenLeads: forgottenLeadsRepository(db),
    models: modelsRepository(db),
    runs: runsRepository(db),
    runLock: runLockRepository(db),
    audit: auditRepository(db),
    settings: settingsRepository(db),
    endedSessions: endedSessionsRepository(db),
    tokens: tokensRepository(db, secretKey),
    oauthStates: oauthStatesRepository(db, secretKey),
    rateLimitHits: rateLimitHitsRepository(db),
    webhookEvents: webhookEventsRepository(db),
    /** See commit-page.ts: records or outcomes plus their cursor, in one transaction. */
    commitPage(
      crm: CrmName,
      stream: string,
      records: readonly LeadRecord[] | readonly OutcomeRecord[],
      cursor: Cursor | null,
      options?: CommitPageOptions,
    ): Promise<CommitPageResult> {
      return commitPage(db, crm, stream, records, cursor, options);
    },
    /** See forget-leads.ts: erases the leads' rows in every per-lead table and keeps them out from then on, audited, in one transaction. */
    forget(crm: CrmName, leadIds: readonly string[], options: { actor: string }): Promise<ForgetResult> {
      return forgetLeads(db, crm, leadIds, options);
    },
    /** See forget-crm.ts: clears all of one CRM's leads, models, cursors and its recorded account (switching to another portal or org), audited. */
    forgetCrm(crm: CrmName, options: { actor: string }): Promise<ForgetCrmResult> {
      return forgetCrmData(db, crm, options);
    },
    /** See forgotten-set-aside.ts: puts the suppression list `forgetCrm` set aside under `account` back in force, audited; how many ids. */
    reinstateForgotten(crm: CrmName, account: string, options: { actor: string }): Promise<number> {
      return reinstateForgotten(db, crm, account, options);
    },
    /** See prune.ts: removes the history `policy` no longer keeps (never what the app reads back), audited. */
    prune(crm: CrmName, policy: RetentionPolicy, options: { actor: string; dryRun?: boolean; now?: number; signal?: AbortSignal }): Promise<PruneResult> {
      return pruneStore(db, crm, policy, options);
    },
  };
}

export type Repositories = ReturnType<typeof repositories>;

export interface Store extends Repositories {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the data lives, safe to print (SQLite file path or the masked DATABASE_URL). */
  readonly location: string;
  /** The DATABASE_URL's passwords (none for SQLite), only so that a driver's text can be scrubbed of them before it is logged. */
  secrets(): string[];
  /** The query builder, for queries no repository offers yet. */
  readonly db: Kysely<Database>;
  /** Runs `fn` with repositories bound to one transaction: all of it commits, or none. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens the store and brings its schema up to date. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const databaseUrl = nonEmpty(options.databaseUrl ?? process.env.DATABASE_URL);
  const secretKeyText = options.secretKey ?? process.env.LEADLIFT_SECRET_KEY;
  let key: Buffer | undefined;
  const secretKey = () => (key ??= parseSecretKey(secretKeyText));

  let db: Kysely<Database>;
  let kind: Store['kind'];
  let location: string;
  let secrets: readonly string[] = [];
  if (databaseUrl) {
    const connection = await connectPostgres(databaseUrl, options.pgSchema);
    db = connection.db;
    kind = 'postgres';
    location = connection.target.masked;
    secrets = connection.target.secrets;
    try {
      await migrateToLatest(db, 'postgres', options.log);
    } catch (err) {
      await db.destroy();
      throw isConnectionFailure(err) ? postgresConnectionError(err, connection.target) : err;
    }
  } else {
    const home = options.home ?? nonEmpty(process.env.LEADLIFT_HOME) ?? '.leadlift';
    const connection = connectSqlite(home);
    db = connection.db;
    kind = 'sqlite';
    location = resolve(connection.file);
    try {
      await migrateToLatest(db, 'sqlite', options.log);
    } catch (err) {
      await db.destroy();
      throw err;
    }
  }

  const repos = repositories(db, secretKey);
  return {
    ...repos,
    // On SQLite the file gives back what a prune freed beyond a few days' headroom (sqlite-free-space.ts).
    prune: async (crm, policy, options) => {
      const result = await repos.prune(crm, policy, options);
      if (kind !== 'sqlite' || result.dryRun || !Object.values(result.removed).some((n) => n > 0)) return result;
      return { ...result, sqliteFile: await releaseFreePages(db, options.signal) };
    },
    kind,
    location,
    secrets: () => [...secrets],
    db,
    transaction: (fn) => inTransaction(db, (trx) => fn(repositories(trx, secretKey))),
    close: () => db.destroy(),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value : undefined;
}

function isConnectionFailure(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
  return typeof code === 'string' && /^(E[A-Z]+|28|3D|08)/.test(code);
}
