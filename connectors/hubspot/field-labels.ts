import type { FieldDisplay } from '../types.js';
import type { ApiCaller } from './api-caller.js';

/**
 * The contact properties' labels and enumeration option labels, as a HubSpot user sees them:
 * "Original Source is Organic Search" reads better to a rep than "hs_analytics_source is
 * ORGANIC_SEARCH". One call (the properties list is not paged).
 */
export async function hubspotFieldLabels(caller: ApiCaller): Promise<Record<string, FieldDisplay>> {
  const all = await caller.call('standard', 'reading the contact property labels', (api) => api.properties.coreApi.getAll('contacts'));
  const out: Record<string, FieldDisplay> = {};
  for (const p of all.results) {
    const options = (p.options ?? []).filter((o) => o.value !== undefined && o.label);
    out[p.name] = {
      label: p.label,
      ...(options.length > 0 ? { options: Object.fromEntries(options.map((o) => [o.value, o.label])) } : {}),
    };
  }
  return out;
}
