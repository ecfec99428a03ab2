import { z } from 'zod';
import type { CrmName } from '../../connectors/types.js';
import { loadConfig } from '../config/load.js';
import { InputError } from '../domain/errors.js';
import type { RetentionConfig } from '../config/store.js';
import { StopRequestedError } from '../jobs/stop-request.js';
import { PRUNE_AUDIT_KEY_PREFIX, type PruneResult, type PrunedTable } from '../store/prune.js';
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
    if (!f.dryRun && store.kind === 'sqlite' && results.some((r) => Object.values(r.removed).some((n) => n > 0))) {
      // Deleting frees pages inside the file; SQLite does not give them back to the disk by itself.
      process.stderr.write('The SQLite file keeps its size: new rows reuse the freed space. To shrink it, stop leadlift and run `sqlite3 <file> VACUUM`.\n');
    }
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

