import { measureHubspotPush } from '../../../connectors/hubspot/push-benchmark.js';
import type { PipelineResult } from '../bench-job.js';
import { peakRssMb } from '../peak-rss.js';
import { timed } from '../timed.js';

/**
 * Scores written back through the HubSpot connector to a sandbox enforcing HubSpot's default
 * limit (100 requests per rolling 10 s), the connector keeping to `share` of it.
 */
export async function runHubspotPushJob(leads: number, share: number): Promise<PipelineResult> {
  const run = await timed(() => measureHubspotPush({ leads, share }));
  const r = run.value;
  return {
    kind: 'pipeline',
    items: r.leads,
    unit: 'leads',
    seconds: r.seconds,
    // Sandbox and connector share this process, so its CPU is both sides' (setup included).
    cpuSeconds: run.cpuSeconds,
    itemsPerSecond: r.leadsPerSecond,
    peakRssMb: peakRssMb(),
    details: { peakShareOfLimit: r.peakShareOfLimit, share: r.share, apiCalls: r.apiCalls, rateLimited: r.rateLimited },
  };
}
