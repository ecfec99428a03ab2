import type { Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { auditRepository } from './audit.js';
import { crmAccountSetting, type CrmAccount } from './crm-account.js';
import { FORGET_AUDIT_KEY_PREFIX } from './forget-leads.js';
import { setForgottenAside } from './forgotten-set-aside.js';
import { fromJsonText } from './json-text.js';
import { inTransaction } from './transaction.js';

/**
 * Every table with rows of one CRM account's data, in the order they are cleared. Records,
 * outcomes, snapshots and scores are its leads; models learnt from them; checkpoints are its sync
 * cursors and pending push jobs; score_references and tier_cutoffs its open pipeline's ranking.
 * Kept: runs (the history of what was done), audit_log, settings (tiers, exclusions), oauth_tokens
 * (the install in use) and the other CRM's rows. The suppression list (forgotten_leads) is set
 * aside under the recorded account (forgotten-set-aside.ts): out of force for the next account,
 * whose contacts of the same ids are other people, and back in force if this one is connected again.
 * A store that recorded no account keeps its list in force: whose ids they are cannot be told, and
 * holding back a new contact is the lesser wrong than scoring an erased lead again.
 */
export const CRM_DATA_TABLES = ['records', 'outcomes', 'staged_outcomes', 'snapshots', 'scores', 'models', 'checkpoints', 'score_references', 'tier_cutoffs'] as const;

export type CrmDataTable = (typeof CRM_DATA_TABLES)[number];

export interface ForgetCrmResult {
  crm: CrmName;
  /** The account the cleared data belonged to (null: the store had not recorded one). */
  account: CrmAccount | null;
  removed: Record<CrmDataTable, number>;
  /** The suppression list's ids: set aside under the account, or kept in force (no account recorded). */
  forgotten: { setAside: number; kept: number };
}

/**
 * Clears everything the store holds of one CRM's account, and the account it recorded, so the next
 * cycle starts afresh with the account connected then: the way to switch a store to another portal
 * or org. One transaction with its audit entry (row counts only).
 */
export async function forgetCrmData(db: Kysely<Database>, crm: CrmName, options: { actor: string }): Promise<ForgetCrmResult> {
  return inTransaction(db, async (trx) => {
    const key = crmAccountSetting(crm);
    const row = await trx.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    const account = row ? fromJsonText<CrmAccount>(row.value) : null;
    const removed = Object.fromEntries(CRM_DATA_TABLES.map((t) => [t, 0])) as Record<CrmDataTable, number>;
    for (const table of CRM_DATA_TABLES) {
      const result = await trx.deleteFrom(table).where('crm', '=', crm).executeTakeFirst();
      removed[table] = Number(result.numDeletedRows);
    }
    const setAside = account ? await setForgottenAside(trx, crm, account.id) : 0;
    const { n: kept } = await trx.selectFrom('forgotten_leads').select((eb) => eb.fn.countAll().as('n')).where('crm', '=', crm).executeTakeFirstOrThrow();
    const forgotten = { setAside, kept: Number(kept) };
    if (row) await trx.deleteFrom('settings').where('key', '=', key).execute();
    await auditRepository(trx).append({ actor: options.actor, key: `${FORGET_AUDIT_KEY_PREFIX}.${crm}`, before: account ? { account: account.id } : null, after: { crm, all: true, removed, forgotten } });
    return { crm, account, removed, forgotten };
  });
}
