import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import type { Tier } from '../config/tiers.js';
import type { TierCutoff } from '../scoring/capacity-tiers.js';
import type { Database } from './schema.js';
import { nowIso } from './iso-time.js';
import { fromJsonText, toJsonText } from './json-text.js';

export interface StoredTierCutoffs {
  modelVersion: string;
  tiers: Tier[];
  cutoffs: TierCutoff[];
  at: string;
}

/**
 * Where each CRM's tiers were cut at its last full scoring pass, so a real-time rescore places a
 * lead against them instead of re-ranking everyone. Machine-written each cycle, so kept apart
 * from the audited settings, like score references.
 */
export function tierCutoffsRepository(db: Kysely<Database>) {
  return {
    /** The CRM's cut-offs, only when resolved with this model and exactly these tier rules. */
    async get(crm: CrmName, modelVersion: string, tiers: readonly Tier[]): Promise<StoredTierCutoffs | null> {
      const row = await db.selectFrom('tier_cutoffs').selectAll().where('crm', '=', crm).where('model_version', '=', modelVersion).executeTakeFirst();
      if (!row) return null;
      const stored: StoredTierCutoffs = { modelVersion: row.model_version, tiers: fromJsonText<Tier[]>(row.tiers), cutoffs: fromJsonText<TierCutoff[]>(row.cutoffs), at: row.computed_at };
      return isDeepStrictEqual(stored.tiers, JSON.parse(toJsonText(tiers))) ? stored : null;
    },

    async set(crm: CrmName, value: Omit<StoredTierCutoffs, 'at'> & { at?: string }): Promise<void> {
      const values = { crm, model_version: value.modelVersion, tiers: toJsonText(value.tiers), cutoffs: toJsonText(value.cutoffs), computed_at: value.at ?? nowIso() };
      await db
        .insertInto('tier_cutoffs')
        .values(values)
        .onConflict((oc) =>
          oc.column('crm').doUpdateSet((eb) => ({
            model_version: eb.ref('excluded.model_version'),
            tiers: eb.ref('excluded.tiers'),
            cutoffs: eb.ref('excluded.cutoffs'),
            computed_at: eb.ref('excluded.computed_at'),
          })),
        )
        .execute();
    },
  };
}

export type TierCutoffsRepository = ReturnType<typeof tierCutoffsRepository>;
