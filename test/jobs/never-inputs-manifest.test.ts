import { describe, expect, it } from 'vitest';
import type { LeadRecord, OutcomeRecord } from '../../connectors/types.js';
import { loadConfig } from '../../src/config/load.js';
import { loadManifest, type Manifest } from '../../src/domain/manifest.js';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { buildTrainingSet } from '../../src/jobs/training-set.js';
import { backends, useStore } from '../store/backends.js';

/**
 * The app's own score fields are never model inputs under the names of the manifest the loop was
 * given (LoopDeps.manifest), not those of the default manifest file: an install whose score
 * property is named otherwise would otherwise train on its own scores.
 */

const DAY = 86_400_000;
const t0 = Date.parse('2024-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** The default manifest with HubSpot's score property renamed, as another install may have it. */
function renamedManifest(): Manifest {
  const base = loadManifest();
  return {
    ...base,
    hubspot: { ...base.hubspot, properties: base.hubspot.properties.map((p) => (p.key === 'score' ? { ...p, name: 'acme_score' } : p)) },
  };
}

describe.each(backends)('never-inputs follow the given manifest ($name store)', (backend) => {
  const { store } = useStore(backend);

  it('a training set leaves out the score property the given manifest names', async () => {
    const n = 30;
    const leads: LeadRecord[] = Array.from({ length: n }, (_, i) => ({
      crm: 'hubspot', id: String(1000 + i), createdAt: iso(t0 + i * DAY), modifiedAt: iso(t0 + i * DAY + 1000), archived: false,
      properties: { source: i % 2 ? 'web' : 'referral', acme_score: String(i) },
    }));
    const outcomes: OutcomeRecord[] = leads.map((l, i) => ({ crm: 'hubspot', leadId: l.id, outcome: i % 3 === 0 ? 'won' : 'lost', outcomeAt: iso(t0 + (i + 10) * DAY), evidence: 'test' }));
    await store().records.upsert('hubspot', leads, { objectType: LEAD_OBJECT, source: 'sync' });
    await store().outcomes.upsert('hubspot', outcomes);
    const config = loadConfig({ env: {}, overrides: { loop: { minimumHistory: { closedLeads: 10, conversions: 2 } } } });

    const result = await buildTrainingSet(store(), config, 'hubspot', renamedManifest());
    if (!result.ready) throw new Error(result.reason);
    expect(result.set.table.columns).not.toContain('acme_score');
    expect(result.set.neverInputs).toContain('acme_score');
    // The default manifest does not name it: there it is an ordinary column.
    const plain = await buildTrainingSet(store(), config, 'hubspot', loadManifest());
    if (!plain.ready) throw new Error(plain.reason);
    expect(plain.set.table.columns).toContain('acme_score');
  });
});
