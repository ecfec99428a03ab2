/**
 * A feature pipeline's saved form as a model saved before the training shares were kept has it:
 * a copy of `pipeline` (a FeaturePipeline, or its saved JSON as a model bundle holds it) with no
 * column's categoryShares or missingShare. Load it with FeaturePipeline.fromJSON.
 */
export function withoutShares(pipeline: unknown): { specs: Array<Record<string, unknown>> } {
  const old = JSON.parse(JSON.stringify(pipeline)) as { specs: Array<Record<string, unknown>> };
  for (const spec of old.specs) {
    delete spec.categoryShares;
    delete spec.missingShare;
  }
  return old;
}
