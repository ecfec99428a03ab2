import { z } from 'zod';
import { columnTypeSchema, datasetOptionsSchema } from './options.js';

/** The pipeline's saved form, checked on load because a model file is outside input. */
const encodingSchema = z.object({
  categories: z.array(z.string()),
  otherCode: z.number().int().min(0),
  missingCode: z.number().int().min(0).nullable(),
  pooled: z.array(z.string()),
});

const share = z.number().min(0).max(1);

// missingShare and categoryShares are absent in model files saved before input drift was measured.
const specSchema = z.discriminatedUnion('type', [
  z.object({ column: z.string(), type: z.literal('numeric'), missingIndicator: z.boolean(), quantiles: z.array(z.number()), missingShare: share.optional() }),
  z.object({ column: z.string(), type: z.literal('boolean'), missingIndicator: z.boolean(), quantiles: z.array(z.number()), missingShare: share.optional() }),
  z.object({
    column: z.string(),
    type: z.literal('categorical'),
    encoding: encodingSchema,
    display: z.record(z.string()),
    categoryShares: z.record(share).optional(),
  }),
  z.object({
    column: z.string(),
    type: z.literal('date'),
    missingIndicator: z.boolean(),
    withHour: z.boolean(),
    recencyQuantiles: z.array(z.number()),
  }),
]);

export const savedPipelineSchema = z.object({
  formatVersion: z.literal(1),
  options: datasetOptionsSchema,
  schema: z.record(z.object({ type: columnTypeSchema, dateOrder: z.enum(['mdy', 'dmy']).optional(), decimalMark: z.enum(['.', ',']).optional() })),
  referenceTime: z.number(),
  specs: z.array(specSchema),
  /** Absent in model files saved before reasons grouped correlated columns. */
  reasonGroups: z.array(z.array(z.string())).optional(),
});

export type SavedPipeline = z.input<typeof savedPipelineSchema>;
