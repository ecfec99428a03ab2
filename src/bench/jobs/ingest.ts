import type { AppConfig } from '../../config/schema.js';
import { buildDataset } from '../../features/build-dataset.js';
import { readCsvFile } from '../../features/read-csv.js';
import type { PipelineResult } from '../bench-job.js';
import { peakRssMb } from '../peak-rss.js';
import { timed } from '../timed.js';

/** CSV file -> typed, normalised dataset: parsing (delimiter sniffed) and column typing timed apart. */
export async function runIngestJob(input: string, config: AppConfig): Promise<PipelineResult> {
  const read = await timed(() => readCsvFile(input));
  const build = await timed(() => buildDataset(read.value, config.features));
  const seconds = read.seconds + build.seconds;
  return {
    kind: 'pipeline',
    items: build.value.rowCount,
    unit: 'rows',
    seconds,
    cpuSeconds: read.cpuSeconds + build.cpuSeconds,
    itemsPerSecond: build.value.rowCount / seconds,
    peakRssMb: peakRssMb(),
    details: { readSeconds: read.seconds, buildSeconds: build.seconds, columns: build.value.columns.length },
  };
}
