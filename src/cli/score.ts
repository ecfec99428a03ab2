import type { Command } from 'commander';
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
import { checkOutputPath, writeOutputFile } from './output-file.js';
import { progress } from './progress.js';
import { counted } from '../domain/counted.js';
import { unreadableWarnings } from './unreadable-values.js';

interface ScoreFlags {
  input: string;
  model: string;
  output: string;
  sep?: string;
  rankWithinFile?: boolean;
  strict?: boolean;
  rawCells?: boolean;
}

const CHUNK = 10_000;

export function register(program: Command): void {
  program
    .command('score')
    .description('Score leads with a saved model: probability, score 0-100, tier and reasons for every row')
    .requiredOption('--input <file>', 'CSV file of leads to score')
    .requiredOption('--model <file>', 'model file written by `leadlift train --output`')
    .requiredOption('--output <file>', 'CSV file to write: the input columns plus the score columns, with the input\'s separator, BOM and line endings')
    .option('--sep <char>', 'field separator of the input (default: detected); the output uses the same')
    .option(
      '--rank-within-file',
      "score = the lead's standing among this file's rows instead (batch triage: with the default tiers the file's top fifth is Hot); the same lead then scores differently in another file",
    )
    .option('--strict', "refuse (exit 2) when the file lacks any of the model's input columns, instead of warning and scoring them as missing (a file lacking most of them is refused anyway)")
    .option(
      '--raw-cells',
      "write every cell as it is, without the ' put before cells a spreadsheet would run as a formula (for a program that reads the file, not Excel)",
    )
    .addHelpText(
      'after',
      `
The score (0-100) with scoring.scale "rank" (the default) is the lead's standing among the
model's reference leads: the share of the newest leads of its training history (scored before
the model learnt from them) whose probability is below this lead's. It depends on the lead,
the model and the day it is scored (date columns become recency),
never on the other rows of the file. With scoring.scale "probability", or
a model file saved before reference leads were stored, the score is 100 x the probability.

Reasons ("+14 Lead source is Reference; -5 Age is 61") give each factor's score points above
or below the typical lead of those same reference leads (with --rank-within-file: of the
file's rows), the side the lead leans to first; the typical lead's score plus every factor's
points is the lead's score. Model files saved before bundle format 4 count from the model's
training average instead. A number reads "low" below the lower quartile of those same leads
and "high" above their upper one; model files saved before bundle format 5 judge by the
training leads' quartiles instead.

Cells a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return,
and not a plain number such as -1.8) are written with a leading ', as OWASP advises against CSV
formula injection: Excel and LibreOffice show them as text, without the '. That includes the
reasons column, which starts with "+14 …" or "-5 …". --raw-cells writes every cell unchanged,
for a program that reads the file rather than a spreadsheet.
`,
    )
    .action((flags: ScoreFlags) => {
      checkOutputPath(flags.input, flags.output);
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
    });
}
