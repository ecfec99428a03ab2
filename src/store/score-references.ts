import type { Kysely } from 'kysely';
import type { CrmName } from '../../connectors/types.js';
import type { Database } from './schema.js';
import { nowIso } from './iso-time.js';
import { fromJsonText, toJsonText } from './json-text.js';

/** The population a CRM's 'rank' scores were placed in: its open leads under one model version. */
export interface ScoreReference {
  modelVersion: string;
  /** Sorted calibrated probabilities (quantiles when there are many open leads). */
  quantiles: number[];
  /** Open leads it was computed from. */
  leads: number;
  at: string;
  /**
   * Their typical lead: the middle fifth's mean contribution per feature (see scoring/typical-lead.ts), which reasons
   * are measured from; null for a reference stored before it was kept.
   */
  typical: number[] | null;
  /**
   * Their quantiles per feature (see scoring/population-quantiles.ts), which "low"/"high" in reasons
   * are judged against; null for a reference stored before they were kept.
   */
  populationQuantiles: number[][] | null;
}

/**
 * One reference per CRM, replaced by each full scoring pass. Machine-written, so kept apart from
 * the audited settings: a refresh every sync would bury the managers' change history.
 */
export function scoreReferencesRepository(db: Kysely<Database>) {
  return {
    /** The CRM's reference, only when it was computed with `modelVersion`. */
    async get(crm: CrmName, modelVersion: string): Promise<ScoreReference | null> {
      const row = await db
        .selectFrom('score_references')
        .selectAll()
        .where('crm', '=', crm)
        .where('model_version', '=', modelVersion)
        .executeTakeFirst();
      return row
        ? {
            modelVersion: row.model_version,
            quantiles: fromJsonText<number[]>(row.quantiles),
            leads: Number(row.leads),
            at: row.computed_at,
            typical: row.typical === null || row.typical === undefined ? null : fromJsonText<number[]>(row.typical),
            populationQuantiles: row.population_quantiles === null || row.population_quantiles === undefined ? null : fromJsonText<number[][]>(row.population_quantiles),
          }
        : null;
    },

    async set(
      crm: CrmName,
      reference: Omit<ScoreReference, 'at' | 'typical' | 'populationQuantiles'> & { at?: string; typical?: number[] | null; populationQuantiles?: number[][] | null },
    ): Promise<void> {
      const values = {
        crm,
        model_version: reference.modelVersion,
        quantiles: toJsonText(reference.quantiles),
        leads: reference.leads,
        computed_at: reference.at ?? nowIso(),
        typical: reference.typical ? toJsonText(reference.typical) : null,
        population_quantiles: reference.populationQuantiles ? toJsonText(reference.populationQuantiles) : null,
      };
      await db
        .insertInto('score_references')
        .values(values)
        .onConflict((oc) =>
          oc.column('crm').doUpdateSet((eb) => ({
            model_version: eb.ref('excluded.model_version'),
            quantiles: eb.ref('excluded.quantiles'),
            leads: eb.ref('excluded.leads'),
            computed_at: eb.ref('excluded.computed_at'),
            typical: eb.ref('excluded.typical'),
            population_quantiles: eb.ref('excluded.population_quantiles'),
          })),
        )
        .execute();
    },
  };
}

export type ScoreReferencesRepository = ReturnType<typeof scoreReferencesRepository>;
