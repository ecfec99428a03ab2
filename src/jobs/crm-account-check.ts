import { CRM_NAMES, type Connector, type CrmName } from '../../connectors/types.js';
import { LeadliftError } from '../domain/errors.js';
import { accountKey, crmAccountSetting, recordedCrmAccount } from '../store/crm-account.js';
import type { Store } from '../store/store.js';
import type { NoteLevel } from './deps.js';

/** Who records an account the loop saw first, in the settings' audit trail. */
export const CRM_ACCOUNT_ACTOR = 'leadlift';

/** "portal 12345" / "org 00D…": the account as the CRM's admin knows it. */
export function accountWords(crm: CrmName, id: string): string {
  return crm === 'hubspot' ? `portal ${id}` : `org ${id}`;
}

/** The command that clears one CRM's data of a store, so it can take another account: a contract (README). */
export function forgetAllCommand(crm: CrmName): string {
  return `leadlift forget --crm ${crm} --all`;
}

/**
 * The store holds one portal's (org's) data and the connection belongs to another. Record ids are
 * numbered per account, so the next push would write this store's scores onto unrelated records
 * there: refused before anything is read or written. Exit 2: the admin's choice fixes it.
 */
export class CrmAccountSwitchedError extends LeadliftError {
  readonly crm: CrmName;
  readonly held: string;
  readonly connected: string;
  constructor(crm: CrmName, held: string, connected: string) {
    const name = CRM_NAMES[crm];
    const [heldWords, connectedWords] = [accountWords(crm, held), accountWords(crm, connected)];
    const records = crm === 'hubspot' ? 'contacts' : 'records';
    const reconnect = crm === 'hubspot' ? 'the install page, or that portal\'s HUBSPOT_ACCESS_TOKEN' : 'the install page, or that org\'s SALESFORCE_* settings';
    super(
      `This store holds the leads, scores and model of ${name} ${heldWords}, but the ${name} connection in use belongs to ${connectedWords}. ` +
        `Record ids are numbered per ${crm === 'hubspot' ? 'portal' : 'org'}, so this store's scores would land on unrelated ${records} there: nothing was read from or written to ${connectedWords}. ` +
        `To go on with ${heldWords}, connect it again (${reconnect}). ` +
        `To score ${connectedWords} from now on, run \`${forgetAllCommand(crm)}\` with the settings this server runs with: it clears this store's ${name} leads, outcomes, scores, models and sync cursors ` +
        `(the tiers and other settings, and the ${CRM_NAMES[crm === 'hubspot' ? 'salesforce' : 'hubspot']} data, stay), and the next cycle starts afresh with ${connectedWords}.`,
      2,
    );
    this.crm = crm;
    this.held = held;
    this.connected = connected;
  }
}

export interface AccountCheckDeps {
  store: Store;
  connector: Connector;
  log?: (message: string, level?: NoteLevel) => void;
}

/**
 * Run at the start of every cycle, rescore and install, before any read from or write to the CRM:
 * the connected account must be the one the store's data of that CRM belongs to. The first one
 * seen is recorded (a new store, or one from before accounts were recorded: said once, as that
 * store's data is taken to be that account's). A connector that cannot say (none of ours) is let
 * through; one whose read fails fails the cycle, as its first CRM call would have.
 */
export async function checkCrmAccount(deps: AccountCheckDeps): Promise<void> {
  const { store, connector } = deps;
  if (!connector.accountId) return;
  const crm = connector.crm;
  const connected = await connector.accountId();
  // One read of the recorded account, for the check and for whether to record one.
  const recorded = await recordedCrmAccount(store.settings, crm);
  if (recorded) {
    if (!sameAccount(crm, recorded.id, connected)) throw new CrmAccountSwitchedError(crm, recorded.id, connected);
    return;
  }
  // Before the account is recorded (and so before anything is synced): a lead erased while this
  // account was last connected stays out now that it is again (forgotten-set-aside.ts).
  const reinstated = await store.reinstateForgotten(crm, connected, { actor: CRM_ACCOUNT_ACTOR });
  if (reinstated > 0) {
    deps.log?.(`${accountWords(crm, connected)} was connected before: the ${reinstated.toLocaleString('en-US')} lead${reinstated === 1 ? '' : 's'} forgotten then stay${reinstated === 1 ? 's' : ''} out of syncs, scores and pushes.`);
  }
  const synced = (await store.checkpoints.list(crm)).length > 0;
  await store.settings.set(crmAccountSetting(crm), { id: connected, since: new Date().toISOString() }, CRM_ACCOUNT_ACTOR);
  if (synced) {
    deps.log?.(
      `this store had not recorded which ${CRM_NAMES[crm]} ${crm === 'hubspot' ? 'portal' : 'org'} its data belongs to; it now belongs to ${accountWords(crm, connected)}, the one connected. ` +
        `A connection to another one is refused from now on (\`${forgetAllCommand(crm)}\` clears this store's ${CRM_NAMES[crm]} data to switch).`,
      'warn',
    );
  }
}

/**
 * The refusal a connection to `connected` meets, when the store's data of `crm` is another
 * account's; null when it is that account's or none is recorded. The install page asks it right
 * after the OAuth return, so the admin reads it there rather than in later cycles' failures.
 */
export async function otherAccountHeld(store: Store, crm: CrmName, connected: string): Promise<CrmAccountSwitchedError | null> {
  const recorded = await recordedCrmAccount(store.settings, crm);
  return recorded && !sameAccount(crm, recorded.id, connected) ? new CrmAccountSwitchedError(crm, recorded.id, connected) : null;
}

function sameAccount(crm: CrmName, a: string, b: string): boolean {
  return accountKey(crm, a) === accountKey(crm, b);
}
