import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { loadConfig } from '../config/load.js';
import { LeadliftError } from '../domain/errors.js';
import { readCsvFile } from '../features/read-csv.js';
import { loadModel } from '../model/bundle.js';
import { formatReason } from '../scoring/reasons.js';
import { calibratedProbabilities, pipelineReference, type ScoredLead, scoreMatrix } from '../scoring/score-leads.js';
import { progress } from './progress.js';

interface ScoreFlags {
  input: string;
  model: string;
  output: string;
  sep?: string;
}

const CHUNK = 10_000;

export function register(program: Command): void {
  program
    .command('score')
    .description('Score leads with a saved model: probability, score 0-100, tier and reasons for every row')
    .requiredOption('--input <file>', 'CSV file of leads to score')
    .requiredOption('--model <file>', 'model file written by `leadlift train --output`')
    .requiredOption('--output <file>', 'CSV file to write: the input columns plus the score columns')
    .option('--sep <char>', 'field separator of the input (default: detected); the output uses the same')
    .action((flags: ScoreFlags) => {
      const config = loadConfig();
      const { model } = loadModel(flags.model);
      const table = readCsvFile(flags.input, { delimiter: flags.sep });
      const dataset = model.pipeline.datasetFrom(table);
      const now = Date.now();
      const chunks: number[][] = [];
      for (let start = 0; start < table.rowCount; start += CHUNK) {
        chunks.push(Array.from({ length: Math.min(CHUNK, table.rowCount - start) }, (_, i) => start + i));
      }
      // First pass: the file's own leads are the population a score ranks in ('rank' scale), so
      // the tiers split this file rather than the model's older calibration slice.
      const probabilities = new Float64Array(table.rowCount);
      const ranking = progress('Ranking leads', table.rowCount);
      for (const rows of chunks) {
        probabilities.set(calibratedProbabilities(model, model.pipeline.transform(dataset, { rows, referenceTime: now })), rows[0]);
        ranking.tick(rows.length);
      }
      ranking.done();
      const settings = { tiers: config.tiers, reasons: config.reasons, scale: config.scoring.scale, reference: pipelineReference(probabilities) };
      const bar = progress('Scoring leads', table.rowCount);
      const scored: ScoredLead[] = [];
      for (const rows of chunks) {
        const x = model.pipeline.transform(dataset, { rows, referenceTime: now });
        scored.push(...scoreMatrix(model, x, settings));
        bar.tick(rows.length);
      }
      bar.done();
      // Every input column is kept so the file can be re-imported; score columns are appended.
      const header = [...table.columns, 'leadlift_probability', 'leadlift_score', 'leadlift_tier', 'leadlift_reasons'];
      const records = scored.map((s, r) => [
        ...table.columns.map((_, c) => table.cells[c][r] ?? ''),
        s.probability.toFixed(4),
        String(s.score),
        s.tier,
        [...(s.reasons?.for ?? []), ...(s.reasons?.against ?? [])].map(formatReason).join('; '),
      ]);
      const delimiter = flags.sep === 'tab' || flags.sep === '\\t' ? '\t' : (flags.sep ?? ',');
      try {
        writeFileSync(flags.output, stringify([header, ...records], { delimiter }));
      } catch (err) {
        throw new LeadliftError(`Cannot write ${flags.output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 1, { cause: err });
      }
      process.stderr.write(`Scored ${scored.length} leads into ${flags.output}\n`);
    });
}
