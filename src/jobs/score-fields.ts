import type { CrmName, ScoreFieldSpec } from '../../connectors/types.js';
import type { Tier } from '../config/tiers.js';
import type { Manifest } from '../domain/manifest.js';

/**
 * The fields the app writes, as the manifest lists them for this CRM; tier options follow the
 * managers' tiers, then `keep`: old names leads may still hold in the CRM (retiring-tier-options.ts).
 * Options are values; the connectors label them from the manifest (optionLabel).
 */
export function scoreFieldSpecs(manifest: Manifest, crm: CrmName, tiers: readonly Tier[], keep: readonly string[] = []): ScoreFieldSpec[] {
  const fields = crm === 'hubspot' ? manifest.hubspot.properties : manifest.salesforce.fields;
  const names = tiers.map((t) => t.name);
  const options = [...names, ...keep.filter((k) => !names.includes(k))];
  return fields.map((f) => ({
    key: f.key,
    label: f.label,
    type: f.type,
    ...(f.key === 'tier' ? { options } : f.options ? { options: f.options.map((o) => o.value) } : {}),
  }));
}
