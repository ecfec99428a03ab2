import type { Kysely } from 'kysely';
import { InputError } from '../domain/errors.js';
import type { CrmName } from '../../connectors/types.js';
import type { Database, ModelsTable } from './schema.js';
import { toIso } from './iso-time.js';
import { fromJsonText, toJsonText } from './json-text.js';
import { inTransaction } from './transaction.js';

export type ModelStatus = 'candidate' | 'active' | 'retired';

export interface NewModel {
  crm: CrmName;
  version: string;
  engine: string;
  createdAt?: string;
  /** The creation dates of the oldest and newest leads it was trained on. */
  trainedFrom: string;
  trainedTo: string;
  /** Evaluation on leads the model never trained on (AUC, lift, calibration…). */
  metrics: Record<string, unknown>;
  /** Everything needed to score with it again (trees, encoders, calibration). */
  bundle: unknown;
}

export interface ModelSummary extends Omit<NewModel, 'bundle' | 'createdAt'> {
  createdAt: string;
  status: ModelStatus;
  promotedAt: string | null;
}

export interface StoredModel extends ModelSummary {
  bundle: unknown;
}

const SUMMARY_COLUMNS = [
  'crm', 'version', 'engine', 'created_at', 'trained_from', 'trained_to', 'metrics', 'status', 'promoted_at',
] as const;

/** Versioned models; exactly one active per CRM once any is promoted. */
export function modelsRepository(db: Kysely<Database>) {
  async function find(crm: CrmName, version: string): Promise<StoredModel | null> {
    const row = await db
      .selectFrom('models')
      .selectAll()
      .where('crm', '=', crm)
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? withBundle(row) : null;
  }

  async function promote(crm: CrmName, version: string): Promise<StoredModel> {
    return inTransaction(db, async (trx) => {
      if ((await statusOf(trx, crm, version)) !== 'active') {
        // Retire first: the unique index allows one active model per CRM at any moment.
        await trx.updateTable('models').set({ status: 'retired' }).where('crm', '=', crm).where('status', '=', 'active').execute();
        await activate(trx, crm, version);
      }
      return (await modelsRepository(trx).get(crm, version)) as StoredModel;
    });
  }

  /**
   * Promotes `version` only while `expected` is still the active model (null: none is): a model
   * trained against one active model must not replace another a manager rolled back to meanwhile.
   * The retire is conditional on `expected` in the same statement, so a concurrent rollback
   * either commits first and makes this return null, or waits for it.
   */
  async function promoteIfActive(crm: CrmName, version: string, expected: string | null): Promise<StoredModel | null> {
    return inTransaction(db, async (trx) => {
      if ((await statusOf(trx, crm, version)) === 'active') return expected === version ? modelsRepository(trx).get(crm, version) : null;
      if (expected === null) {
        const active = await trx.selectFrom('models').select('version').where('crm', '=', crm).where('status', '=', 'active').executeTakeFirst();
        if (active) return null;
      } else {
        const retired = await trx
          .updateTable('models')
          .set({ status: 'retired' })
          .where('crm', '=', crm)
          .where('status', '=', 'active')
          .where('version', '=', expected)
          .executeTakeFirst();
        if (Number(retired.numUpdatedRows) !== 1) return null;
      }
      await activate(trx, crm, version);
      return modelsRepository(trx).get(crm, version);
    });
  }

  return {
    /** Stores a freshly trained model as a candidate (promote it to make it score). */
    async save(model: NewModel): Promise<ModelSummary> {
      const existing = await db
        .selectFrom('models')
        .select('version')
        .where('crm', '=', model.crm)
        .where('version', '=', model.version)
        .executeTakeFirst();
      if (existing) throw new InputError(`A ${model.crm} model "${model.version}" already exists; model versions are never reused`);
      const row: ModelsTable = {
        crm: model.crm,
        version: model.version,
        engine: model.engine,
        created_at: toIso(model.createdAt ?? new Date(), 'model createdAt'),
        trained_from: toIso(model.trainedFrom, `model ${model.version} trainedFrom`),
        trained_to: toIso(model.trainedTo, `model ${model.version} trainedTo`),
        metrics: toJsonText(model.metrics),
        bundle: toJsonText(model.bundle),
        status: 'candidate',
        promoted_at: null,
      };
      await db.insertInto('models').values(row).execute();
      return summary(row);
    },

    get: find,

    async active(crm: CrmName): Promise<StoredModel | null> {
      const row = await db
        .selectFrom('models')
        .selectAll()
        .where('crm', '=', crm)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return row ? withBundle(row) : null;
    },

    /** Every model of a CRM, newest first, without the (large) bundles. */
    async list(crm: CrmName): Promise<ModelSummary[]> {
      const rows = await db
        .selectFrom('models')
        .select(SUMMARY_COLUMNS)
        .where('crm', '=', crm)
        .orderBy('created_at', 'desc')
        .orderBy('version', 'desc')
        .execute();
      return rows.map(summary);
    },

    /** Makes `version` the active model and retires the one it replaces, atomically. */
    promote,

    promoteIfActive,

    /**
     * Replaces a candidate's stored evaluation: a training corrects what it saved, in the same
     * transaction, when promoteIfActive refused. Models that are or were active keep the
     * evaluation they were promoted on.
     */
    async reviseMetrics(crm: CrmName, version: string, metrics: Record<string, unknown>): Promise<void> {
      const result = await db
        .updateTable('models')
        .set({ metrics: toJsonText(metrics) })
        .where('crm', '=', crm)
        .where('version', '=', version)
        .where('status', '=', 'candidate')
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        throw new InputError(`There is no ${crm} candidate model "${version}" to revise; only a model that was never promoted has its evaluation revised`);
      }
    },

    /**
     * The version a rollback would go back to (see rollback), or the InputError it would raise:
     * lets a caller report bad input before waiting for anything.
     */
    rollbackTarget: (crm: CrmName, toVersion?: string) => rollbackTarget(db, crm, toVersion),

    /**
     * Goes back to an earlier active model: `toVersion`, or by default the one active before the
     * current. Only a model that has been active before can be rolled back to.
     */
    async rollback(crm: CrmName, toVersion?: string): Promise<StoredModel> {
      return inTransaction(db, async (trx) => modelsRepository(trx).promote(crm, await rollbackTarget(trx, crm, toVersion)));
    },
  };
}

export type ModelsRepository = ReturnType<typeof modelsRepository>;

async function rollbackTarget(db: Kysely<Database>, crm: CrmName, toVersion?: string): Promise<string> {
  if (toVersion === undefined) {
    const previous = await db
      .selectFrom('models')
      .select('version')
      .where('crm', '=', crm)
      .where('status', '=', 'retired')
      .where('promoted_at', 'is not', null)
      .orderBy('promoted_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!previous) throw new InputError(`There is no earlier ${crm} model to roll back to`);
    return previous.version;
  }
  const target = await db
    .selectFrom('models')
    .select(['promoted_at', 'status'])
    .where('crm', '=', crm)
    .where('version', '=', toVersion)
    .executeTakeFirst();
  if (!target) throw new InputError(`There is no ${crm} model "${toVersion}"; list the models to see the versions`);
  // A rollback to the model in service would audit a change that is none and rewrite every lead's score for nothing.
  if (target.status === 'active') throw new InputError(`The ${crm} model "${toVersion}" is already the active model; nothing was rolled back`);
  if (target.promoted_at === null) {
    // No action makes a candidate active: training kept it because it did not beat the model in service, and it was never refitted on all closed leads.
    throw new InputError(`The ${crm} model "${toVersion}" was never active (training did not promote it), so it cannot be rolled back to; only a model that was active before can be made active again`);
  }
  return toVersion;
}

async function statusOf(db: Kysely<Database>, crm: CrmName, version: string): Promise<string> {
  const target = await db.selectFrom('models').select(['status']).where('crm', '=', crm).where('version', '=', version).executeTakeFirst();
  if (!target) throw new InputError(`There is no ${crm} model "${version}"; list the models to see the versions`);
  return target.status;
}

/** Makes `version` the active model, stamped after every earlier promotion (the active one was retired first). */
async function activate(db: Kysely<Database>, crm: CrmName, version: string): Promise<void> {
  const promotedAt = await nextPromotionTime(db, crm);
  await db.updateTable('models').set({ status: 'active', promoted_at: promotedAt }).where('crm', '=', crm).where('version', '=', version).execute();
}

/**
 * Promotion times strictly increase per CRM, even for promotions within one millisecond, so
 * "the model active before this one" is always well defined for rollback.
 */
async function nextPromotionTime(db: Kysely<Database>, crm: CrmName): Promise<string> {
  const last = await db
    .selectFrom('models')
    .select((eb) => eb.fn.max('promoted_at').as('latest'))
    .where('crm', '=', crm)
    .executeTakeFirst();
  const now = Date.now();
  const after = last?.latest ? Date.parse(last.latest) + 1 : now;
  return new Date(Math.max(now, after)).toISOString();
}

function summary(row: Omit<ModelsTable, 'bundle'>): ModelSummary {
  return {
    crm: row.crm as CrmName,
    version: row.version,
    engine: row.engine,
    createdAt: row.created_at,
    trainedFrom: row.trained_from,
    trainedTo: row.trained_to,
    metrics: fromJsonText<Record<string, unknown>>(row.metrics),
    status: row.status as ModelStatus,
    promotedAt: row.promoted_at,
  };
}

function withBundle(row: ModelsTable): StoredModel {
  return { ...summary(row), bundle: fromJsonText<unknown>(row.bundle) };
}
