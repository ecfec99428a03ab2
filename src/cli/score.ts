import { stringify } from 'csv-stringify/sync';
import { loadConfig } from '../config/load.js';
import { InputError } from '../domain/errors.js';
import { requireDataRows } from '../features/raw-table.js';
import { readCsvFile } from '../features/read-csv.js';
import { loadModel } from '../model/bundle.js';
import { absentInputColumns, refuseForeignFile } from '../scoring/absent-inputs.js';
import { formatReason, readingOrder } from '../scoring/reasons.js';
import { scoreInChunks } from '../scoring/score-in-chunks.js';
import type { ScoringSettings } from '../scoring/score-leads.js';
import { neutraliseFormulas } from './formula-cells.js';
import { writeOutputFile } from './output-file.js';
import { progress } from './progress.js';
import { counted } from '../domain/counted.js';
import { unreadableWarnings } from './unreadable-values.js';

export interface ScoreFlags {
  input: string;
  model: string;
  output: string;
  sep?: string;
  rankWithinFile?: boolean;
  strict?: boolean;
  rawCells?: boolean;
}

const CHUNK = 10_000;

/** The action of `leadlift score`, once score-command.ts has checked the --output path; its flags and help are there. */
export function scoreCommand(flags: ScoreFlags): void {
  const config = loadConfig();
  const { model } = loadModel(flags.model);
  const table = readCsvFile(flags.input, { delimiter: flags.sep });
  requireDataRows(table);
  refuseForeignFile(model.pipeline.sourceColumns, table, flags.input);
  const absent = absentInputColumns(model.pipeline.sourceColumns, table);
  if (absent.length > 0) {
    const list = absent.map((c) => `"${c}"`).join(', ');
    if (flags.strict) {
      throw new InputError(`${flags.input} lacks ${absent.length} of the model's input columns: ${list}. Add them to the export, or drop --strict to score them as missing.`);
    }
    process.stderr.write(
      `leadlift: warning: ${flags.input} lacks ${absent.length} of the model's input columns: ${list}. ` +
        'They score as missing on every row, so probabilities and tiers differ from what the model gives these leads with the column; add them to the export (--strict refuses such a file).\n',
    );
  }
  const dataset = model.pipeline.datasetFrom(table);
  for (const w of unreadableWarnings(dataset.report, { source: flags.input, scoring: true, columns: model.pipeline.sourceColumns })) process.stderr.write(`leadlift: warning: ${w}\n`);
  const now = Date.now();
  const settings: ScoringSettings = { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale };
  if (!flags.rankWithinFile && settings.scale === 'rank' && !model.reference?.length) {
    process.stderr.write(
      `leadlift: warning: ${flags.model} predates stored reference leads, so scores are 100 x the probability; train it again for ranked scores, or pass --rank-within-file.\n`,
    );
  }
  const scored = scoreInChunks(model, table.rowCount, (rows) => model.pipeline.transform(dataset, { rows, referenceTime: now }), settings, {
    chunk: CHUNK,
    rankWithinFile: flags.rankWithinFile,
    progress,
  });
  // Every input column is kept so the file can be re-imported; score columns are appended.
  const header = [...table.columns, 'leadlift_probability', 'leadlift_score', 'leadlift_tier', 'leadlift_reasons'];
  const records = scored.map((s, r) => [
    ...table.columns.map((_, c) => table.cells[c][r] ?? ''),
    s.probability.toFixed(4),
    String(s.score),
    s.tier,
    readingOrder(s.reasons).map(formatReason).join('; '),
  ]);
  // Written as the input was (separator, BOM, line ending), so it goes back into the same tools.
  // Any line break in a value is quoted: with CRLF records csv-stringify would quote only a whole \r\n.
  const style = table.style ?? { bom: false, crlf: false };
  const cells = flags.rawCells ? [header, ...records] : neutraliseFormulas([header, ...records]);
  writeOutputFile(flags.output, stringify(cells, { delimiter: table.delimiter ?? ',', bom: style.bom, record_delimiter: style.crlf ? 'windows' : 'unix', quoted_match: /[\r\n]/ }));
  process.stderr.write(`Scored ${counted(scored.length, 'lead')} into ${flags.output}\n`);
}
