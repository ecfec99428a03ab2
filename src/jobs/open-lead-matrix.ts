import { tableFromRecords } from '../features/raw-table.js';
import type { FeatureMatrix } from '../features/types.js';
import type { ScoringModel } from '../scoring/score-leads.js';

/** Open leads' inputs as the model reads them, dated against `now` (the scoring pass and the typical lead build it alike). */
export function openLeadMatrix(model: ScoringModel, inputs: Array<Record<string, string>>, crm: string, now: number): FeatureMatrix {
  return model.pipeline.transform(model.pipeline.datasetFrom(tableFromRecords(inputs, `open ${crm} leads`)), { referenceTime: now });
}
