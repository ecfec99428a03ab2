import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CrmName } from '../../connectors/types.js';
import { loadConfig } from '../config/load.js';
import { InputError } from '../domain/errors.js';
import { loadManifest } from '../domain/manifest.js';
import { envSecrets } from '../jobs/run-error.js';
import { scheduleTimes } from '../jobs/schedule.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { SQLITE_FILE } from '../store/sqlite-connection.js';
import type { Store } from '../store/store.js';
import { crmStatus, type CrmStatus } from './crm-status.js';
import { statusSchedule, type StatusSchedule } from './status-schedule.js';
import { statusTable } from './status-table.js';
import { statusProblems } from './status-verdict.js';

const flags = z.object({
  crm: z.enum(['hubspot', 'salesforce']).optional(),
  json: z.boolean().optional(),
});

/** Where the store is, safe to print: never a password. */
export type StatusStore =
  | { kind: 'sqlite'; file: string; bytes: number }
  | { kind: 'postgres'; host: string; port: string; database: string; user: string };

/** `leadlift status --json`: one object (README "Commands"). */
export interface StatusReport {
  /** Every CRM's latest cycle succeeded within twice the sync interval (exit 0). */
  ok: boolean;
  /** Why not, one line per CRM that is not (exit 1). */
  problems: string[];
  checkedAt: string;
  store: StatusStore;
  schedule: StatusSchedule;
  crms: Array<CrmStatus & { ok: boolean }>;
}

/** The action of `leadlift status`; its flags and help are in status-command.ts. */
export async function statusCommand(raw: Record<string, unknown>): Promise<void> {
  const parsed = flags.safeParse(raw);
  if (!parsed.success) throw new InputError(`leadlift status --crm: must be hubspot or salesforce (got "${String(raw.crm)}")`);
  const f = parsed.data;
  const times = scheduleTimes(loadConfig(), loadManifest());
  const [{ openStore }, { loopStorePlan, missingSandboxStore }] = await Promise.all([import('../store/store.js'), import('./store-commands.js')]);
  // The store `run` and `serve` use, found as prune and forget find it (and refused as they refuse).
  const plan = await loopStorePlan(f.crm);
  const missing = missingSandboxStore(plan, { crms: f.crm ? [f.crm] : ['hubspot', 'salesforce'], nothingDone: 'Nothing was read.' });
  if (missing) throw new InputError(`${missing}: no status to show. Run \`leadlift run\` once, or run status with the settings \`serve\` runs with.`);
  const databaseUrl = plan.sandboxDir ? undefined : nonEmpty(process.env.DATABASE_URL);
  const sqliteFile = join(plan.sandboxDir ?? plan.home, SQLITE_FILE);
  // Opening a file that is not there would create an empty store and hide a wrong LEADLIFT_HOME.
  if (!databaseUrl && !existsSync(sqliteFile)) {
    throw new InputError(`No leadlift store at ${sqliteFile}: no cycle has run with LEADLIFT_HOME=${plan.home}. Run status with the settings \`serve\` runs with (the same .env or environment; DATABASE_URL for a PostgreSQL store).`);
  }
  const now = Date.now();
  const schedule = await statusSchedule(times);
  const store = await openStore(plan.store);
  try {
    const secrets = [...store.secrets(), ...envSecrets()];
    const crms = f.crm ? [f.crm] : plan.sandboxDir ? await sandboxCrms(store) : plan.wanted;
    const statuses = await Promise.all(crms.map((crm) => crmStatus(store, crm, secrets, now)));
    const perCrm = statuses.map((s) => ({ status: s, problems: statusProblems(s, schedule.syncIntervalMinutes, now) }));
    const report: StatusReport = {
      ok: perCrm.every((c) => c.problems.length === 0),
      problems: perCrm.flatMap((c) => c.problems),
      checkedAt: new Date(now).toISOString(),
      store: databaseUrl ? postgresTarget(databaseUrl) : { kind: 'sqlite', file: store.location, bytes: sqliteBytes(store.location) },
      schedule,
      crms: perCrm.map(({ status: { crm, ...rest }, problems }) => ({ crm, ok: problems.length === 0, ...rest })),
    };
    process.stdout.write(f.json ? `${JSON.stringify(report, null, 2)}\n` : `${statusTable(report)}\n`);
    if (!report.ok) {
      if (!f.json) for (const problem of report.problems) process.stderr.write(`leadlift: ${problem}\n`);
      process.exitCode = 1;
    }
  } finally {
    await store.close();
  }
}

/** The sandbox's store holds the CRMs `run --crm` seeded in it: those with a run, else HubSpot (the sandbox's default). */
async function sandboxCrms(store: Store): Promise<CrmName[]> {
  const rows = await store.db.selectFrom('runs').select('crm').distinct().execute();
  const found = (['hubspot', 'salesforce'] as const).filter((c) => rows.some((r) => r.crm === c));
  return found.length > 0 ? found : ['hubspot'];
}

function postgresTarget(url: string): StatusStore {
  const t = parseDatabaseUrl(url);
  return { kind: 'postgres', host: t.host, port: t.port, database: t.database, user: t.user };
}

/** The file and its write-ahead log: what the store takes on disk. */
function sqliteBytes(file: string): number {
  let bytes = 0;
  for (const path of [file, `${file}-wal`]) if (existsSync(path)) bytes += statSync(path).size;
  return bytes;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() !== '' ? value.trim() : undefined;
}
