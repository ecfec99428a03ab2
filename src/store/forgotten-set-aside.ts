import { sql, type Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { auditRepository } from './audit.js';
import { accountKey } from './crm-account.js';
import { FORGET_AUDIT_KEY_PREFIX } from './forget-leads.js';
import { holdForgetGuard } from './forgotten-leads.js';
import { inTransaction } from './transaction.js';

/**
 * The suppression list across a switch of portal (org). Its ids are the CRM's record ids, numbered
 * per account: kept in force after `forget --all`, an erased lead of the old portal would hold back
 * the new portal's unrelated contact of the same id, never scored and with nothing said. Dropped, a
 * lead erased with `forget --lead` while the old portal still holds it would be synced and scored
 * again if that portal were connected later. So `forget --all` sets the list aside under the
 * account it was erased in (migration 016), and recording an account (the first cycle after the
 * switch, crm-account-check.ts) puts that account's ids back into force before anything is synced.
 */

/** Inside forget --all's transaction: moves the CRM's list aside under `account`; the number of ids moved. */
export async function setForgottenAside(trx: Kysely<Database>, crm: CrmName, account: string): Promise<number> {
  const key = accountKey(crm, account);
  await trx
    .insertInto('forgotten_leads_set_aside')
    .columns(['crm', 'account', 'lead_id', 'forgotten_at'])
    .expression((eb) => eb.selectFrom('forgotten_leads').select(['crm', sql<string>`cast(${key} as text)`.as('account'), 'lead_id', 'forgotten_at']).where('crm', '=', crm))
    // Set aside before, reconnected, and forgotten again: the first date stays, as on the list itself.
    .onConflict((oc) => oc.columns(['crm', 'account', 'lead_id']).doNothing())
    .execute();
  const moved = await trx.deleteFrom('forgotten_leads').where('crm', '=', crm).executeTakeFirst();
  return Number(moved.numDeletedRows);
}

/**
 * Puts the ids set aside under `account` back on the suppression list, audited when there were any;
 * the number of ids. Under the forget guard, as forgetLeads: a write at the same moment either
 * commits first (none can: the store holds no data of an account not yet recorded) or finds them.
 */
export async function reinstateForgotten(db: Kysely<Database>, crm: CrmName, account: string, options: { actor: string }): Promise<number> {
  const key = accountKey(crm, account);
  return inTransaction(db, async (trx) => {
    await holdForgetGuard(trx, crm);
    const aside = trx.selectFrom('forgotten_leads_set_aside').where('crm', '=', crm).where('account', '=', key);
    const { n } = await aside.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    if (Number(n) === 0) return 0;
    await trx
      .insertInto('forgotten_leads')
      .columns(['crm', 'lead_id', 'forgotten_at'])
      .expression(aside.select(['crm', 'lead_id', 'forgotten_at']))
      .onConflict((oc) => oc.columns(['crm', 'lead_id']).doNothing())
      .execute();
    await trx.deleteFrom('forgotten_leads_set_aside').where('crm', '=', crm).where('account', '=', key).execute();
    await auditRepository(trx).append({ actor: options.actor, key: `${FORGET_AUDIT_KEY_PREFIX}.${crm}`, before: null, after: { crm, account: key, reinstated: Number(n) } });
    return Number(n);
  });
}
