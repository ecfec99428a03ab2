import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import type { Database, RunsTable } from './schema.js';
import { nowIso } from './iso-time.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { parseRunProgress, type RunProgress } from './run-progress.js';

/** 'rescore': a webhook's or a tier save's sync, score and write-back of some or all open leads, without training (no cycle). */
export type RunKind = 'sync' | 'train' | 'score' | 'push' | 'cycle' | 'rescore';
export type RunStatus = 'running' | 'ok' | 'failed' | 'skipped';

export interface Run {
  id: string;
  kind: RunKind;
  crm: CrmName | null;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  summary: Record<string, unknown> | null;
  error: string | null;
  /** An install's or retrain's cycle: its progress, then the words of its outcome (run-progress.ts); null for any other run. */
  progress: RunProgress | null;
}

/** Each pass of the loop and how it ended: the history the admin page and `train if due` read. */
export function runsRepository(db: Kysely<Database>) {
  async function get(id: string): Promise<Run | null> {
    const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? fromRow(row) : null;
  }

  return {
    async start(kind: RunKind, crm: CrmName | null = null): Promise<Run> {
      const row: RunsTable = {
        id: randomUUID(),
        kind,
        crm,
        started_at: nowIso(),
        finished_at: null,
        status: 'running',
        summary: null,
        error: null,
        progress: null,
      };
      await db.insertInto('runs').values(row).execute();
      return fromRow(row);
    },

    /** Closes a run. `error` is shown to admins: pass a LeadliftError message, never a secret. */
    async finish(
      id: string,
      result: { status: Exclude<RunStatus, 'running'>; summary?: Record<string, unknown>; error?: string },
    ): Promise<Run> {
      await db
        .updateTable('runs')
        .set({
          status: result.status,
          finished_at: nowIso(),
          summary: result.summary === undefined ? null : toJsonText(result.summary),
          error: result.error ?? null,
        })
        .where('id', '=', id)
        .execute();
      return (await get(id)) as Run;
    },

    /** Deletes a run that found nothing to do, e.g. a Salesforce poll's rescore of a quiet minute: no history to keep. */
    async discard(id: string): Promise<void> {
      await db.deleteFrom('runs').where('id', '=', id).execute();
    },

    /** Records a run that did not happen (e.g. another was still going) and why. */
    async skipped(kind: RunKind, crm: CrmName | null, reason: string): Promise<Run> {
      const at = nowIso();
      const row: RunsTable = {
        id: randomUUID(),
        kind,
        crm,
        started_at: at,
        finished_at: at,
        status: 'skipped',
        summary: null,
        error: reason,
        progress: null,
      };
      await db.insertInto('runs').values(row).execute();
      return fromRow(row);
    },

    get,

    /**
     * Where a run stands, for the instances that did not start it (one small UPDATE: the writer,
     * server/run-progress-writer.ts, calls it at most once a second and never inside another transaction).
     */
    async setProgress(id: string, progress: RunProgress): Promise<void> {
      await db.updateTable('runs').set({ progress: toJsonText(progress) }).where('id', '=', id).execute();
    },

    /** The latest run of a CRM that shares its progress (an install's or retrain's cycle, a rescore), running or ended. */
    async lastWithProgress(crm: CrmName): Promise<Run | null> {
      const row = await db
        .selectFrom('runs')
        .selectAll()
        // Two kinds, so runs_started_idx (kind, started_at) narrows the rows but does not give
        // their order: the CRM's cycle and rescore runs are sorted (runs are pruned after 90 days).
        .where('kind', 'in', ['cycle', 'rescore'])
        .where('crm', '=', crm)
        .where('progress', 'is not', null)
        .orderBy('started_at', 'desc')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    async list(filter: { kind?: RunKind; crm?: CrmName; limit?: number } = {}): Promise<Run[]> {
      let query = db.selectFrom('runs').selectAll();
      if (filter.kind) query = query.where('kind', '=', filter.kind);
      if (filter.crm) query = query.where('crm', '=', filter.crm);
      const rows = await query.orderBy('started_at', 'desc').orderBy('id').limit(filter.limit ?? 50).execute();
      return rows.map(fromRow);
    },

    /** The latest run of a kind that ended with `status` (default ok), e.g. the last training. */
    async lastFinished(kind: RunKind, crm: CrmName | null, status: RunStatus = 'ok'): Promise<Run | null> {
      let query = db.selectFrom('runs').selectAll().where('kind', '=', kind).where('status', '=', status);
      query = crm === null ? query.where('crm', 'is', null) : query.where('crm', '=', crm);
      const row = await query.orderBy('started_at', 'desc').limit(1).executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    /**
     * The run of a kind that ended last, ok or failed (a skipped one did not run), e.g. the last
     * cycle the model page's "Idle." line tells of, with its end time. By end, not start: a cycle
     * that lost its lock ends after the one that took over started, and its failure is the news.
     */
    async lastEnded(kind: RunKind, crm: CrmName): Promise<Run | null> {
      const row = await db
        .selectFrom('runs')
        .selectAll()
        .where('kind', '=', kind)
        .where('crm', '=', crm)
        .where('status', 'in', ['ok', 'failed'])
        // Every ended run has one; kept out so the back ends' different places for NULL never matter.
        .where('finished_at', 'is not', null)
        .orderBy('finished_at', 'desc')
        .orderBy('started_at', 'desc')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row ? fromRow(row) : null;
    },

    /**
     * Marks runs still "running" that started before `before` as failed (only `crm`'s and
     * `kind`'s, when given): after a crash nothing else will close them. Call it once the run lock has been taken over.
     */
    async failInterrupted(before: string, reason = 'interrupted: the process stopped before the run finished', crm?: CrmName, kind?: RunKind): Promise<number> {
      let query = db
        .updateTable('runs')
        .set({ status: 'failed', finished_at: nowIso(), error: reason })
        .where('status', '=', 'running')
        .where('started_at', '<', before);
      if (crm) query = query.where('crm', '=', crm);
      if (kind) query = query.where('kind', '=', kind);
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

export type RunsRepository = ReturnType<typeof runsRepository>;

function fromRow(row: RunsTable): Run {
  return {
    id: row.id,
    kind: row.kind as RunKind,
    crm: row.crm as CrmName | null,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status as RunStatus,
    summary: fromJsonText<Record<string, unknown>>(row.summary),
    error: row.error,
    progress: parseRunProgress(row.progress),
  };
}
