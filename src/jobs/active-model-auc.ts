import type { RawTable } from '../features/raw-table.js';
import { calibrate } from '../model/calibration/index.js';
import { blendedPredict } from '../model/blend.js';
import type { ModelBundle } from '../model/bundle.js';
import { modelFromBundle } from '../model/bundle.js';
import { auc } from '../model/evaluation/metrics.js';

/**
 * How the model now in use ranks the given leads (rows of `table`, with outcomes `y`): the
 * yardstick a newly trained model must beat on the very same leads before it replaces it.
 */
export function activeModelAuc(bundle: ModelBundle, table: RawTable, rows: readonly number[], y: ArrayLike<number>): number {
  const model = modelFromBundle(bundle, 'the active model');
  const subset: RawTable = {
    source: table.source,
    columns: table.columns,
    rowCount: rows.length,
    cells: table.cells.map((column) => rows.map((r) => column[r])),
  };
  const x = model.pipeline.transform(model.pipeline.datasetFrom(subset));
  return auc(y, calibrate(model.calibrator, blendedPredict(model.forest, model.blend, x)));
}
