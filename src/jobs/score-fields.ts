import type { CrmName, ScoreFieldSpec } from '../../connectors/types.js';
import type { Tier } from '../config/tiers.js';
import type { Manifest } from '../domain/manifest.js';

/** The fields the app writes, as the manifest lists them for this CRM; tier options follow the managers' tiers. */
export function scoreFieldSpecs(manifest: Manifest, crm: CrmName, tiers: readonly Tier[]): ScoreFieldSpec[] {
  const fields = crm === 'hubspot' ? manifest.hubspot.properties : manifest.salesforce.fields;
  return fields.map((f) => ({
    key: f.key,
    label: f.label,
    type: f.type,
    ...(f.key === 'tier' ? { options: tiers.map((t) => t.name) } : f.options ? { options: f.options } : {}),
  }));
}
