import { z } from 'zod';
import type { CrmName } from '../../connectors/types.js';
import { loadConfig } from '../config/load.js';
import { InputError } from '../domain/errors.js';
import type { RetentionConfig } from '../config/store.js';
import { StopRequestedError } from '../jobs/stop-request.js';
import { PRUNE_AUDIT_KEY_PREFIX, type PruneResult, type PrunedTable } from '../store/prune.js';
import type { SqliteFileSpace } from '../store/sqlite-free-space.js';
import type { Store } from '../store/store.js';
import { stopOnSignal } from './stop-on-signal.js';

const flags = z.object({
  crm: z.enum(['hubspot', 'salesforce']).optional(),
  dryRun: z.boolean().optional(),
  json: z.boolean().optional(),
});

/** The action of `leadlift prune`; its flags and help are in prune-command.ts. */
export async function pruneCommand(raw: Record<string, unknown>): Promise<void> {
  const parsed = flags.safeParse(raw);
  if (!parsed.success) throw new InputError(`leadlift prune --crm: must be hubspot or salesforce (got "${String(raw.crm)}")`);
  const f = parsed.data;
  const retention = loadConfig().store.retention;
  // The store and the CRM settings' modules (both SDKs) load once the flags and config are good.
  const [{ openStore }, { cliActor, loopStorePlan, missingSandboxStore }] = await Promise.all([import('../store/store.js'), import('./store-commands.js')]);
  // As forget and run do: with no CRM configured the sandbox's store is pruned, not DATABASE_URL's.
  const plan = await loopStorePlan(f.crm);
  const missing = missingSandboxStore(plan, { crms: f.crm ? [f.crm] : ['hubspot', 'salesforce'], nothingDone: 'Nothing was pruned.' });
  if (missing) {
    process.stderr.write(`${missing}, so there is nothing to prune.\n`);
    if (f.json) process.stdout.write(`${JSON.stringify({ dryRun: f.dryRun ?? false, store: null, crms: [] })}\n`);
    return;
  }
  const store = await openStore(plan.store);
  // Ctrl-C stops between statements: what was removed by then is in the audit trail.
  const stop = stopOnSignal();
  try {
    const results: PruneResult[] = [];
    for (const crm of f.crm ? [f.crm] : await crmsWithHistory(store)) {
      try {
        results.push(await store.prune(crm, retention, { actor: cliActor(), dryRun: f.dryRun, signal: stop.signal }));
      } catch (err) {
        if (!(err instanceof StopRequestedError)) throw err;
        throw new StopRequestedError(err.signalName, `Stopped by ${err.signalName} while pruning ${crm}: the rows removed until then are gone and counted in the audit trail (${PRUNE_AUDIT_KEY_PREFIX}.${crm}); the rest stays until the next prune.`);
      }
    }
    if (f.json) {
      process.stdout.write(`${JSON.stringify({ dryRun: f.dryRun ?? false, store: store.location, crms: results.map(({ dryRun: _, ...r }) => r) })}\n`);
    } else {
      process.stdout.write(`${report(results, retention, f.dryRun ?? false, store.location)}\n`);
    }
    const space = results.map((r) => r.sqliteFile).filter((s) => s !== undefined);
    if (space.length > 0) process.stderr.write(`${fileSpaceNote(space, store.location)}\n`);
  } finally {
    stop.dispose();
    await store.close();
  }
}

/**
 * The CRMs the store holds history for (a store can keep a CRM no longer configured). Read from
 * runs, a small table: scores and snapshots are the big ones, and every score, snapshot and model
 * comes from a cycle or a training, which records a run that no prune removes (the latest of each
 * kind stays).
 */
async function crmsWithHistory(store: Store): Promise<CrmName[]> {
  const rows = await store.db.selectFrom('runs').select('crm').distinct().execute();
  const found = new Set(rows.map((row) => row.crm));
  return (['hubspot', 'salesforce'] as const).filter((c) => found.has(c));
}

const MB = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** What the prune did to the SQLite file (sqlite-free-space.ts): given back, or why not and how. */
function fileSpaceNote(space: readonly SqliteFileSpace[], file: string): string {
  const last = space[space.length - 1];
  const released = space.reduce((n, s) => n + s.releasedBytes, 0);
  if (last.autoVacuum === 'incremental') {
    return `The SQLite file gave ${MB(released)} back to the disk; ${MB(last.freeBytes)} stays free inside it for new rows (a few days' worth).`;
  }
  // Only a VACUUM switches an existing file's auto_vacuum; it rewrites the file, so the admin runs it, stopped.
  return [
    `The SQLite file keeps its size (${MB(last.fileBytes)}): new rows reuse the ${MB(last.freeBytes)} free inside it. It was created before leadlift`,
    'set auto_vacuum, so prunes cannot give space back. To shrink it once and let later prunes do so, stop leadlift',
    `and run \`sqlite3 ${file} 'PRAGMA auto_vacuum=INCREMENTAL; VACUUM;'\` (VACUUM needs about twice the file's size free on disk: a copy and the WAL).`,
  ].join('\n');
}

const ROWS: ReadonlyArray<[PrunedTable, string]> = [
  ['scores', 'scores'],
  ['snapshots', 'snapshots'],
  ['runs', 'runs'],
  ['models', 'models'],
];

function report(results: readonly PruneResult[], retention: RetentionConfig, dryRun: boolean, location: string): string {
  if (results.length === 0) return `Store ${location}: no history yet, nothing to prune.`;
  const verb = dryRun ? 'would remove' : 'removed';
  const lines = [`Store ${location}${dryRun ? ' (dry run: nothing removed)' : ''}:`];
  for (const r of results) {
    lines.push(`  ${r.crm}:`);
    for (const [table, label] of ROWS) lines.push(`    ${label.padEnd(10)} ${verb} ${r.removed[table].toLocaleString('en-US').padStart(9)}  ${rule(table, r, retention)}`);
  }
  return lines.join('\n');
}

function rule(table: PrunedTable, r: PruneResult, retention: RetentionConfig): string {
  if (table === 'models') {
    if (r.keepModels === null) return 'keeping every model (store.retention.keepModels null)';
    // The versions named are the ones that go, said as such: in parentheses after "keeping …" they read as kept.
    const which = r.models.length > 0 ? `; ${r.dryRun ? 'would remove' : 'removed'}: ${r.models.join(', ')}` : '';
    return `keeping the active model, ${r.keepModels} rollback target${r.keepModels === 1 ? '' : 's'} and the newest candidate${which}`;
  }
  const days = retention[`${table}Days`];
  const before = r.olderThan[table];
  if (days === null || before === null) return `keeping all (store.retention.${table}Days null)`;
  return `older than ${days} days (before ${before.slice(0, 10)})`;
}

