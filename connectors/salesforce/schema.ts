import type { QueryResult } from 'jsforce';
import type { SchemaReport, ScoreFieldSpec } from '../types.js';
import type { Manifest } from '../../src/domain/manifest.js';
import type { ApiCaller } from './api-caller.js';
import type { SalesforceConfig } from './config.js';
import { SalesforceRequestError } from './errors.js';
import { forgetDescribe } from './describe-object.js';
import { desiredFields, metadataDifferences, type DesiredField } from './field-spec.js';
import { grantOwnFieldSecurity } from './permission-sets.js';

/**
 * Creates the app's custom fields on the scored object through the Tooling API, or brings them
 * in line with the manifest and the current tier names. Safe on every start: what matches is left
 * alone, and a create that races another install (DUPLICATE_DEVELOPER_NAME) counts as present.
 * Salesforce gives a new field no field-level security beyond the System Administrator profile,
 * so leadlift then grants it through its own permission sets (permission-sets.ts), and the report
 * tells the admin what is left: assigning the reader permission set, or, where Salesforce refused
 * leadlift the rights, exactly what to grant by hand.
 */

interface ExistingField {
  Id: string;
  DeveloperName: string;
}

export async function ensureSalesforceSchema(caller: ApiCaller, config: SalesforceConfig, manifest: Manifest, fields: ScoreFieldSpec[]): Promise<SchemaReport> {
  const report: SchemaReport = { created: [], updated: [], unchanged: [], adminActions: [] };
  const object = config.object;
  // A describe kept from before this step would hide the fields it creates from the next lead pull.
  forgetDescribe(caller, object);
  const desired = desiredFields(manifest, fields);
  const existing = await existingFields(caller, object);

  for (const want of desired) {
    const have = existing.get(developerName(want.name).toLowerCase());
    const fullName = `${object}.${want.name}`;
    if (!have) {
      const made = await createOrDuplicate(caller, fullName, want);
      if (made) {
        report.created.push(fullName);
        continue;
      }
      const now = (await existingFields(caller, object)).get(developerName(want.name).toLowerCase());
      if (!now) throw new SalesforceRequestError(`creating ${fullName}`, 'DUPLICATE_DEVELOPER_NAME', 'Salesforce says the field exists but the Tooling API does not list it');
      await reconcile(caller, now, fullName, want, report);
      continue;
    }
    await reconcile(caller, have, fullName, want, report);
  }

  const names = desired.map((d) => `${object}.${d.name}`);
  report.adminActions.push(
    ...(await fieldSecurity(caller, config, names, report.created.length > 0)),
    `Add the fields to the ${object} page layouts and list views reps use (Setup > Object Manager > ${object} > Page Layouts), e.g. a "leadlift" section with score, tier and reasons.`,
  );
  // The grant changes what describe lists: the next lead pull must see the fields.
  forgetDescribe(caller, object);
  return report;
}

/**
 * The permission-set grant, done once per connector while it holds: ensureSchema runs before every
 * push, and bringing two permission sets, their field rows and the assignment in line costs
 * six requests of the org's daily allowance each time (measured on the sandbox: 14 for the step, 8 without it). Done again when this step created a field
 * (it needs its rows), and until a grant went through whole (an admin may give the missing right
 * between cycles). Keyed by the connector's caller, so a new connection (a restart, a reconnect)
 * checks again.
 */
const completedGrants = new WeakMap<ApiCaller, { names: string; adminActions: string[] }>();

async function fieldSecurity(caller: ApiCaller, config: SalesforceConfig, names: string[], createdAny: boolean): Promise<string[]> {
  const key = names.join(',');
  const done = completedGrants.get(caller);
  if (done && done.names === key && !createdAny) return done.adminActions;
  const grant = await grantOwnFieldSecurity(caller, config, names);
  if (grant.complete) completedGrants.set(caller, { names: key, adminActions: grant.adminActions });
  else completedGrants.delete(caller);
  return grant.adminActions;
}

function developerName(apiName: string): string {
  return apiName.replace(/__c$/i, '');
}

async function existingFields(caller: ApiCaller, object: string): Promise<Map<string, ExistingField>> {
  const result = await caller.call(`listing the custom fields of ${object}`, async (conn) =>
    (await conn.tooling.query<ExistingField>(`SELECT Id, DeveloperName FROM CustomField WHERE TableEnumOrId = '${object}'`)) as QueryResult<ExistingField>,
  );
  return new Map(result.records.map((r) => [r.DeveloperName.toLowerCase(), r]));
}

async function reconcile(caller: ApiCaller, have: ExistingField, fullName: string, want: DesiredField, report: SchemaReport): Promise<void> {
  const current = await caller.call(`reading ${fullName}`, (conn) => conn.tooling.sobject('CustomField').retrieve(have.Id));
  const metadata = ((current as Record<string, unknown>).Metadata ?? {}) as Record<string, unknown>;
  if (metadataDifferences(metadata, want.metadata).length === 0) {
    report.unchanged.push(fullName);
    return;
  }
  // Tooling replaces Metadata as a whole: send every setting, not just the changed ones.
  await caller.call(`updating ${fullName}`, (conn) => conn.tooling.sobject('CustomField').update({ Id: have.Id, Metadata: { ...metadata, ...want.metadata } }));
  report.updated.push(fullName);
}

async function createOrDuplicate(caller: ApiCaller, fullName: string, want: DesiredField): Promise<boolean> {
  try {
    await caller.call(`creating ${fullName}`, (conn) => conn.tooling.sobject('CustomField').create({ FullName: fullName, Metadata: want.metadata }), { noRetry: true });
    return true;
  } catch (err) {
    if (err instanceof SalesforceRequestError && err.errorCode === 'DUPLICATE_DEVELOPER_NAME') return false;
    throw err;
  }
}
