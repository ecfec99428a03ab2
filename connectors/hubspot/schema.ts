import type { Property, PropertyUpdate } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { SchemaReport, ScoreFieldSpec } from '../types.js';
import type { Manifest } from '../../src/domain/manifest.js';
import type { ApiCaller } from './api-caller.js';
import { HubspotRequestError } from './errors.js';
import { desiredProperties, propertyDifferences, toPropertyCreate, type DesiredProperty } from './property-spec.js';

/**
 * Creates the app's property group and contact properties, or brings them in line with the
 * manifest and the current tier names. Safe to run on every start: what already matches is
 * left alone, and a create that races another install (409) counts as already there.
 */
export async function ensureHubspotSchema(caller: ApiCaller, manifest: Manifest, fields: ScoreFieldSpec[]): Promise<SchemaReport> {
  const report: SchemaReport = { created: [], updated: [], unchanged: [], adminActions: [] };
  const desired = desiredProperties(manifest, fields);
  const group = manifest.hubspot.propertyGroup;

  const groups = await caller.call('standard', 'reading the contact property groups', (api) => api.properties.groupsApi.getAll('contacts'));
  const groupEntry = `${group.name} (property group)`;
  if (groups.results.some((g) => g.name === group.name)) report.unchanged.push(groupEntry);
  else {
    const made = await createOrConflict(() =>
      caller.call('standard', `creating the property group "${group.name}"`, (api) =>
        api.properties.groupsApi.create('contacts', { name: group.name, label: group.label }),
      ),
    );
    (made ? report.created : report.unchanged).push(groupEntry);
  }

  const existing = await caller.call('standard', 'reading the contact properties', (api) => api.properties.coreApi.getAll('contacts'));
  const byName = new Map(existing.results.map((p) => [p.name, p]));
  for (const want of desired) {
    const have = byName.get(want.name);
    if (!have) {
      const made = await createOrConflict(() =>
        caller.call('standard', `creating the contact property ${want.name}`, (api) => api.properties.coreApi.create('contacts', toPropertyCreate(want))),
      );
      if (made) {
        report.created.push(want.name);
        continue;
      }
      // Someone created it between our read and our create: compare with what is there now.
      const now = await caller.call('standard', `reading the contact property ${want.name}`, (api) => api.properties.coreApi.getByName('contacts', want.name));
      await reconcile(caller, now, want, report);
      continue;
    }
    await reconcile(caller, have, want, report);
  }
  return report;
}

async function reconcile(caller: ApiCaller, have: Property, want: DesiredProperty, report: SchemaReport): Promise<void> {
  if (propertyDifferences(have, want).length === 0) {
    report.unchanged.push(want.name);
    return;
  }
  const { label, type, fieldType, groupName, description, options } = want;
  const update = { label, type, fieldType, groupName, description, options } as PropertyUpdate;
  await caller.call('standard', `updating the contact property ${want.name}`, (api) => api.properties.coreApi.update('contacts', want.name, update));
  report.updated.push(want.name);
}

/** true when created, false when HubSpot says it already exists (409). */
async function createOrConflict(create: () => Promise<unknown>): Promise<boolean> {
  try {
    await create();
    return true;
  } catch (err) {
    if (err instanceof HubspotRequestError && err.status === 409) return false;
    throw err;
  }
}
