import { z } from 'zod';

/**
 * What the store keeps (src/store/prune.ts, run after each training and by `leadlift prune`).
 * Every key has a default, so `store` may be left out of a config file. A day count of null keeps
 * that history for ever, as before retention existed.
 *
 * Whatever the ages, pruning never removes what the app reads back: each lead's latest score and
 * latest snapshot (the trend, the CRM-edit check, "inputs as last scored"), its last score that
 * reached the CRM (what the CRM shows), and for a closed lead the score and snapshot it closed on
 * (training learns from that snapshot, the model page's recent conversion from that score). The
 * audit trail is never pruned.
 */
const days = (what: string) =>
  z
    .number({ invalid_type_error: `must be a whole number of days (at least 1), or null to keep ${what} for ever` })
    .int(`must be a whole number of days (at least 1), or null to keep ${what} for ever`)
    .min(1, `must be a whole number of days (at least 1), or null to keep ${what} for ever`)
    .nullable();

export const retentionSchema = z
  .object({
    /** Score history older than this goes (each lead's latest, last pushed and closing score stay). */
    scoresDays: days('every score').default(365),
    /**
     * Snapshots (every synced property of a lead, the bulk of the store) older than this go. Only
     * each lead's latest one and, for a closed lead, the one it closed on are ever read again.
     */
    snapshotsDays: days('every snapshot').default(90),
    /** Finished runs older than this go; the latest of each kind and status per CRM stays ("train if due", metrics). */
    runsDays: days('every run').default(90),
    /**
     * Earlier active models kept as rollback targets, newest promotion first, besides the active
     * model and the newest candidate (the most recent training that did not promote). Older retired
     * models and older candidates (never active, so never a rollback target) go, bundle and all. null = keep all.
     */
    keepModels: z
      .number({ invalid_type_error: 'must be a whole number of earlier models to keep as rollback targets (0 or more), or null to keep every model' })
      .int('must be a whole number of earlier models to keep as rollback targets (0 or more), or null to keep every model')
      .min(0, 'must be a whole number of earlier models to keep as rollback targets (0 or more), or null to keep every model')
      .nullable()
      .default(5),
  })
  .strict();

export const storeSchema = z
  .object({
    retention: retentionSchema.default({}),
  })
  .strict();

export type RetentionConfig = z.infer<typeof retentionSchema>;
