import { loadConfig } from '../config/index.js';
import type { BenchJob, BenchResult } from './bench-job.js';
import { runEvaluationJob } from './jobs/evaluation.js';
import { runForestJob } from './jobs/forest.js';
import { runHubspotPushJob } from './jobs/hubspot-push.js';
import { runIngestJob } from './jobs/ingest.js';
import { runSandboxSeedJob } from './jobs/sandbox-seed.js';
import { runStoreJob } from './jobs/store.js';

/** Runs the job given as JSON in argv[2] and prints one JSON BenchResult line on stdout. */
async function run(job: BenchJob): Promise<BenchResult> {
  const config = loadConfig();
  switch (job.kind) {
    case 'bank':
    case 'synthetic':
      return runForestJob(job, config);
    case 'evaluation':
      return runEvaluationJob(job.input, config);
    case 'ingest':
      return runIngestJob(job.input, config);
    case 'store':
      return runStoreJob(job.backEnd, job.records);
    case 'sandbox-seed':
      return runSandboxSeedJob(job.input, job.rows);
    case 'hubspot-push':
      return runHubspotPushJob(job.leads, job.share);
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as BenchJob;
let line = '';
try {
  line = `${JSON.stringify(await run(job))}\n`;
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
// Exit once the line is out: a stray handle (a pool, a timer) must not hold the job until its cap.
process.stdout.write(line, () => process.exit());
