import { readFile } from 'node:fs/promises';
import { seedLeadsFromCsv } from '../../../connectors/sandbox/seed.js';
import { startSandbox } from '../../../connectors/sandbox/server.js';
import type { PipelineResult } from '../bench-job.js';
import { peakRssMb } from '../peak-rss.js';
import { timed } from '../timed.js';

/**
 * The sandbox started on the first `rows` bank rows, seeded into HubSpot and Salesforce alike,
 * as `leadlift sandbox --seed` does: CSV -> seed leads, then both CRMs loaded and listening.
 */
export async function runSandboxSeedJob(input: string, rows: number): Promise<PipelineResult> {
  const text = (await readFile(input, 'utf8')).split('\n').slice(0, rows + 1).join('\n');
  const leads = await timed(() => seedLeadsFromCsv(text, { label: 'y', positive: 'yes', sep: ';' }, Date.now(), input));
  const load = await timed(() => startSandbox({ port: 0, crm: 'both', seed: leads.value }));
  await load.value.close();
  const seconds = leads.seconds + load.seconds;
  return {
    kind: 'pipeline',
    items: leads.value.length,
    unit: 'leads',
    seconds,
    cpuSeconds: leads.cpuSeconds + load.cpuSeconds,
    itemsPerSecond: leads.value.length / seconds,
    peakRssMb: peakRssMb(),
    details: { csvSeconds: leads.seconds, loadSeconds: load.seconds },
  };
}
