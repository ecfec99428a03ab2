import { CRM_NAMES, type CrmName } from '../../connectors/types.js';
import { LeadliftError } from '../domain/errors.js';
import { accountWords } from '../jobs/crm-account-check.js';
import { cycleLockName, describeLockHolder, withCycleLock } from '../jobs/cycle-lock.js';
import type { Store } from '../store/store.js';
import type { ForgetCrmResult } from '../store/forget-crm.js';
import { cliActor } from './store-commands.js';

/**
 * `leadlift forget --crm X --all`: clears the store's data of one CRM (forget-crm.ts), the way to
 * switch it to another portal or org. Under the CRM's cycle lock, so no cycle is halfway through
 * writing what is being cleared: one running makes it stop with exit 2, having changed nothing.
 */
export async function forgetAll(store: Store, crm: CrmName, options: { json: boolean }): Promise<void> {
  const locked = await withCycleLock(store, cycleLockName(crm), () => store.forgetCrm(crm, { actor: cliActor() }));
  if (!locked.acquired) {
    throw new LeadliftError(`A ${CRM_NAMES[crm]} cycle is running (${describeLockHolder(locked.holder)}), so nothing was cleared: run this again when it has finished (stop serve first if its schedule keeps one running).`, 2);
  }
  const result = locked.value;
  if (options.json) process.stdout.write(`${JSON.stringify({ crm, all: true, account: result.account?.id ?? null, removed: result.removed })}\n`);
  else process.stdout.write(`${summary(result)}\n`);
  process.stderr.write(
    `Store: ${store.location}. Kept: the tiers and other settings, the run history, the ${CRM_NAMES[crm]} install's tokens, the suppression list of forgotten leads and the ${CRM_NAMES[crm === 'hubspot' ? 'salesforce' : 'hubspot']} data. ` +
      `The next cycle records the ${crm === 'hubspot' ? 'portal' : 'org'} connected then and starts afresh with a full sync; ${CRM_NAMES[crm]} itself was not contacted.\n`,
  );
}

function summary(result: ForgetCrmResult): string {
  const total = Object.values(result.removed).reduce((s, n) => s + n, 0);
  const rows = Object.entries(result.removed)
    .map(([table, n]) => `${table.replace(/_/g, ' ')} ${n.toLocaleString('en-US')}`)
    .join(', ');
  const of = result.account ? ` (${accountWords(result.crm, result.account.id)})` : '';
  return `Cleared this store's ${CRM_NAMES[result.crm]} data${of}: ${total.toLocaleString('en-US')} rows removed (${rows}).`;
}
