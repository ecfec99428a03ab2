import { z } from 'zod';

/**
 * How the closed loop runs (src/jobs): when there is enough history to train, when a model is
 * retrained, the schedule `serve` keeps, which CRM fields are never model inputs, and how scores
 * are pushed. Every key has a default, so `loop` may be left out of a config file.
 */

/** Column name or a pattern with `*` wildcards, compared case-insensitively. */
const columnPattern = z.string().trim().min(1, 'must be a field name or a pattern such as "hs_lifecyclestage_*"');

export const loopSchema = z
  .object({
    /** Below this much history the loop does not train and writes no model scores. */
    minimumHistory: z
      .object({
        closedLeads: z.number().int().min(10).default(200),
        conversions: z.number().int().min(2).default(40),
      })
      .strict()
      .default({}),
    /** `run` retrains when the last successful training is older than this (serve also retrains nightly). */
    retrainAfterHours: z.number().positive().default(24),
    /**
     * A model is promoted only if its AUC on the newest closed leads could be above this (the
     * upper end of its 95% interval): one that ranks them clearly no better than chance would
     * write noise onto every lead.
     */
    minAuc: z.number().min(0).max(1).default(0.5),
    schedule: z
      .object({
        /** Cron expressions; default: manifest.json schedules (nightly 02:00 retrain, hourly sync). */
        retrain: z.string().trim().min(1).optional(),
        sync: z.string().trim().min(1).optional(),
        /** IANA time zone the cron expressions are read in; default: this machine's. */
        timezone: z.string().trim().min(1).optional(),
      })
      .strict()
      .default({}),
    /**
     * Fields filled in or changed once a lead's outcome is known (or the app's own output): never
     * model inputs, on top of the feature engine's own leakage guard.
     */
    neverInputs: z
      .object({
        hubspot: z.array(columnPattern).default([]),
        salesforce: z.array(columnPattern).default([]),
      })
      .strict()
      .default({}),
    push: z
      .object({
        /**
         * Scores per pushScores call; each call is recorded as pushed before the next starts.
         * null (default): the CRM's own batch limit (HubSpot batch update 100, Salesforce sObject
         * Collections 200), so each call is one API request; a number sets it (a larger one is
         * sent in the CRM's batches, a crash then repeats more).
         */
        chunkSize: z.number().int().min(1).max(10_000).nullable().default(null),
        /** pushScores calls in flight at once (a crash can leave at most this many to repeat). */
        concurrency: z.number().int().min(1).max(16).default(2),
      })
      .strict()
      .default({}),
  })
  .strict();

export type LoopConfig = z.output<typeof loopSchema>;
