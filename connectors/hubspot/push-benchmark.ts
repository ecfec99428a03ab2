import { startSandbox } from '../sandbox/server.js';
import type { SeedLead } from '../sandbox/context.js';
import type { ScoreWrite } from '../types.js';
import { createHubspotConnector } from './index.js';

/**
 * Push throughput against a sandbox that enforces HubSpot's default limit (100 requests per
 * rolling 10 s): leads written per second and the largest share of that limit used in any
 * window, as the sandbox saw it. For `npm run bench`; takes about leads / (1000 * share) s.
 */
export interface PushBenchmark {
  leads: number;
  share: number;
  seconds: number;
  leadsPerSecond: number;
  apiCalls: number;
  rateLimited: number;
  /** Most requests the sandbox received in any rolling 10 s, over the limit (100). */
  peakShareOfLimit: number;
}

export async function measureHubspotPush(options: { leads: number; share: number }): Promise<PushBenchmark> {
  const now = Date.now();
  const seed: SeedLead[] = Array.from({ length: options.leads }, (_, index) => ({
    index,
    externalId: String(index + 1),
    values: { age: String(20 + (index % 50)) },
    createdAt: now - 86_400_000,
    outcome: 'lost',
    open: true,
    closedAt: null,
  }));
  const limit = 100;
  // Setup (schema, listing ids) runs unthrottled; the limit applies from the push on.
  const sandbox = await startSandbox({ port: 0, crm: 'hubspot', seed, hubspotRateLimit: 1_000_000, hubspotSearchRateLimit: 1_000_000 });
  try {
    const setup = createHubspotConnector({ accessToken: sandbox.token, basePath: sandbox.url, rateLimit: { requestsPerWindow: 1_000_000, searchPerSecond: 1_000_000 } });
    await setup.ensureSchema([{ key: 'tier', label: 'Tier', type: 'enumeration', options: ['Hot', 'Warm', 'Cold'] }]);
    const ids: string[] = [];
    for await (const page of setup.pullLeads(null)) ids.push(...page.records.map((r) => r.id));

    // Wait out the portal's rolling window so none of the setup's requests count against the
    // measured push: it starts cold, as a scheduled push does.
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    sandbox.ctx.options.hubspotRateLimit = limit;
    sandbox.ctx.log.length = 0;
    const scoredAt = new Date().toISOString();
    const scores: ScoreWrite[] = ids.map((leadId, i) => ({
      leadId,
      score: i % 101,
      tier: ['Hot', 'Warm', 'Cold'][i % 3],
      probability: (i % 101) / 100,
      reasons: '+ age (+3 pts)',
      trend: 'steady',
      modelVersion: 'bench',
      scoredAt,
    }));
    const connector = createHubspotConnector({ accessToken: sandbox.token, basePath: sandbox.url, rateLimit: { share: options.share } });
    const started = performance.now();
    const report = await connector.pushScores(scores);
    const seconds = (performance.now() - started) / 1000;

    const arrivals = sandbox.ctx.log.filter((r) => r.path.startsWith('/crm/')).map((r) => r.at).sort((a, b) => a - b);
    let peak = 0;
    for (let i = 0, j = 0; i < arrivals.length; i++) {
      while (arrivals[i] - arrivals[j] >= 10_000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    return {
      leads: report.written.length,
      share: options.share,
      seconds: Math.round(seconds * 10) / 10,
      leadsPerSecond: Math.round(report.written.length / seconds),
      apiCalls: report.apiCalls,
      rateLimited: report.rateLimited,
      peakShareOfLimit: peak / limit,
    };
  } finally {
    await sandbox.close();
  }
}
