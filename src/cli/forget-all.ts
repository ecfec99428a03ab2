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
  if (options.json) process.stdout.write(`${JSON.stringify({ crm, all: true, account: result.account?.id ?? null, removed: result.removed, forgotten: result.forgotten })}\n`);
  else process.stdout.write(`${summary(result)}\n`);
  process.stderr.write(
    `Store: ${store.location}. Kept: the tiers and other settings, the run history, the ${CRM_NAMES[crm]} install's tokens and the ${CRM_NAMES[crm === 'hubspot' ? 'salesforce' : 'hubspot']} data. ` +
      `${forgottenWords(result)}` +
      `The next cycle records the ${crm === 'hubspot' ? 'portal' : 'org'} connected then and starts afresh with a full sync; ${CRM_NAMES[crm]} itself was not contacted.\n`,
  );
}

/** What became of the suppression list: the admin of a GDPR erasure needs to know it still holds. */
function forgottenWords(result: ForgetCrmResult): string {
  const { setAside, kept } = result.forgotten;
  const leads = (n: number) => `${n.toLocaleString('en-US')} forgotten lead${n === 1 ? '' : 's'}`;
  const next = result.crm === 'hubspot' ? 'portal' : 'org';
  const parts: string[] = [];
  if (setAside > 0 && result.account) {
    const account = accountWords(result.crm, result.account.id);
    const one = setAside === 1;
    parts.push(
      `The ${one ? 'id' : 'ids'} of the ${leads(setAside)} of ${account} ${one ? 'is' : 'are'} set aside: ${one ? 'it holds' : 'they hold'} back no record of the next ${next}, whose ids are other people's, and ${one ? 'keeps that lead' : 'keep those leads'} out again if ${account} is connected later. `,
    );
  }
  if (kept > 0) {
    parts.push(`The ${leads(kept)} on the suppression list stay out of any ${next} connected next, as this store had not recorded whose they are: a record there with one of those ids is not scored. `);
  }
  return parts.join('');
}

function summary(result: ForgetCrmResult): string {
  const total = Object.values(result.removed).reduce((s, n) => s + n, 0);
  const rows = Object.entries(result.removed)
    .map(([table, n]) => `${table.replace(/_/g, ' ')} ${n.toLocaleString('en-US')}`)
    .join(', ');
  const of = result.account ? ` (${accountWords(result.crm, result.account.id)})` : '';
  return `Cleared this store's ${CRM_NAMES[result.crm]} data${of}: ${total.toLocaleString('en-US')} rows removed (${rows}).`;
}
