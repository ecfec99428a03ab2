import type { Connection, QueryResult, SaveResult } from 'jsforce';
import type { ApiCaller } from './api-caller.js';
import type { SalesforceConfig } from './config.js';
import { SalesforceRequestError } from './errors.js';

/**
 * Field-level security for the app's own fields, granted as a managed package does: fields the
 * Tooling API creates are visible to no profile, so leadlift creates two permission sets through
 * the REST sObject API (config.permissionSet with Read and Edit, config.readerPermissionSet with
 * Read), brings their FieldPermissions rows in line, and assigns the first to the user it connects
 * as. Safe on every start: what exists is found by name and left alone, and a create that races
 * another install (a duplicate) counts as done.
 *
 * Salesforce refusing any of it (typically a connected user without "Manage Profiles and
 * Permission Sets" or "Assign Permission Sets") does not fail the install: the admin actions then
 * say what to grant by hand and which permission was missing. Network and server failures do
 * fail it, as every other schema step's, so the next run tries again.
 */

interface PermissionSetSpec {
  label: string;
  name: string;
  description: string;
}

interface FieldPermissionRow {
  Id: string;
  Field: string;
  PermissionsRead: boolean;
  PermissionsEdit: boolean;
}

/** The steps that can be refused, each with the permission Salesforce asks of the connected user for it. */
const MANAGE = 'Manage Profiles and Permission Sets';
const ASSIGN = 'Assign Permission Sets';
const VIEW_SETUP = 'View Setup and Configuration';

/** A refusal of one step: what leadlift was doing, and the permission it needed. */
class Refused extends Error {
  constructor(readonly cause: SalesforceRequestError, readonly needs: string) {
    super(cause.message);
  }
}

/** Salesforce's API-name rules for a permission set: letters, digits and single underscores, starting with a letter. */
export function permissionSetApiName(label: string): string {
  const name = label.replace(/[^A-Za-z0-9]+/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  const lettered = /^[A-Za-z]/.test(name) ? name : `leadlift_${name}`;
  return lettered.slice(0, 80).replace(/_+$/, '');
}

/** The admin actions left after the grant, and whether leadlift did all of it itself (nothing was refused). */
export interface FieldSecurityGrant {
  adminActions: string[];
  complete: boolean;
}

export async function grantOwnFieldSecurity(caller: ApiCaller, config: SalesforceConfig, fullNames: string[]): Promise<FieldSecurityGrant> {
  const integration = spec(config.permissionSet, 'Read and Edit on the leadlift score fields, for the user leadlift connects as. Created by leadlift.');
  const reader = spec(config.readerPermissionSet, 'Read on the leadlift score fields, for sales reps and managers. Created by leadlift.');
  const list = fullNames.join(', ');
  let integrationId: string;
  try {
    integrationId = await ensurePermissionSet(caller, integration);
    await ensureFieldPermissions(caller, integrationId, config.object, fullNames, true);
    const readerId = await ensurePermissionSet(caller, reader);
    await ensureFieldPermissions(caller, readerId, config.object, fullNames, false);
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    return {
      complete: false,
      adminActions: [
        `Grant field-level security on ${list}: Read and Edit to the integration user leadlift connects as ` +
        `(its profile, or a permission set such as "${integration.label}"), and Read to the profiles or permission sets of the sales reps and managers ` +
        `(Setup > Object Manager > ${config.object} > Fields & Relationships > each field > Set Field-Level Security). ` +
        `leadlift could not create its permission sets itself: ${refusalWords(err)}.`,
      ],
    };
  }
  const readerAction =
    `Assign the permission set "${reader.label}" to the sales reps and managers who should see the scores ` +
    `(Setup > Users > Permission Sets > ${reader.label} > Manage Assignments): it gives Read field-level security on ${list}.`;
  try {
    const user = await connectedUser(caller);
    await ensureAssignment(caller, integrationId, user.id);
    return { complete: true, adminActions: [`${readerAction} leadlift gave its own user (${user.username}) Read and Edit on them through the permission set "${integration.label}".`] };
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    return {
      complete: false,
      adminActions: [
        `Assign the permission set "${integration.label}" to the integration user leadlift connects as ` +
        `(Setup > Users > Permission Sets > ${integration.label} > Manage Assignments): leadlift created it with Read and Edit field-level security on ${list} ` +
        `but could not assign it: ${refusalWords(err)}. Until then the scores cannot be written.`,
        readerAction,
      ],
    };
  }
}

function spec(label: string, description: string): PermissionSetSpec {
  return { label, name: permissionSetApiName(label), description };
}

function refusalWords(err: Refused): string {
  const code = err.cause.errorCode;
  const access = /^INSUFFICIENT_ACCESS/.test(code) || code === 'INVALID_TYPE';
  return access
    ? `${err.cause.message.replace(/\.\s*$/, '')}; the connected user needs the "${err.needs}" permission (its profile or a permission set), or an admin grants it by hand`
    : err.cause.message.replace(/\.\s*$/, '');
}

/** Runs one step; a refusal (not a network or server failure) becomes Refused, naming the permission the step needs. */
async function step<T>(caller: ApiCaller, action: string, needs: string, request: (conn: Connection) => Promise<T>, options?: { noRetry?: boolean; requests?: number }): Promise<T> {
  try {
    return await caller.call(action, request, options);
  } catch (err) {
    if (err instanceof SalesforceRequestError) throw new Refused(err, err.errorCode === 'INVALID_TYPE' ? VIEW_SETUP : needs);
    throw err;
  }
}

async function findPermissionSet(caller: ApiCaller, set: PermissionSetSpec): Promise<string | undefined> {
  const found = await step(caller, `looking up the permission set ${set.name}`, VIEW_SETUP, async (conn) =>
    (await conn.query<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE Name = '${set.name}'`)) as QueryResult<{ Id: string }>,
  );
  return found.records[0]?.Id;
}

async function ensurePermissionSet(caller: ApiCaller, set: PermissionSetSpec): Promise<string> {
  const existing = await findPermissionSet(caller, set);
  if (existing) return existing;
  try {
    const made = await step(caller, `creating the permission set "${set.label}"`, MANAGE, (conn) =>
      conn.sobject('PermissionSet').create({ Name: set.name, Label: set.label, Description: set.description }) as Promise<SaveResult>,
      { noRetry: true },
    );
    return made.id!;
  } catch (err) {
    // Another install created it meanwhile (Salesforce names the API name a duplicate).
    if (!(err instanceof Refused) || !/^DUPLICATE_/.test(err.cause.errorCode)) throw err;
    const now = await findPermissionSet(caller, set);
    if (!now) throw err;
    return now;
  }
}

/** One FieldPermissions row per field on the permission set: missing ones created, ones that grant otherwise updated. */
async function ensureFieldPermissions(caller: ApiCaller, parentId: string, object: string, fullNames: string[], edit: boolean): Promise<void> {
  const rows = await step(caller, 'reading the field permissions of the leadlift permission sets', VIEW_SETUP, async (conn) =>
    (await conn.query<FieldPermissionRow>(`SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = '${parentId}' AND SobjectType = '${object}'`)) as QueryResult<FieldPermissionRow>,
  );
  const have = new Map(rows.records.map((r) => [r.Field.toLowerCase(), r]));
  const create: Array<Record<string, unknown>> = [];
  const update: Array<{ Id: string; PermissionsRead: boolean; PermissionsEdit: boolean }> = [];
  for (const field of fullNames) {
    const row = have.get(field.toLowerCase());
    if (!row) create.push({ ParentId: parentId, SobjectType: object, Field: field, PermissionsRead: true, PermissionsEdit: edit });
    else if (!row.PermissionsRead || row.PermissionsEdit !== edit) update.push({ Id: row.Id, PermissionsRead: true, PermissionsEdit: edit });
  }
  // sObject Collections take 200 records a call; leadlift has a handful of fields.
  if (create.length > 0) {
    const results = await step(caller, 'granting field permissions on the leadlift fields', MANAGE, (conn) =>
      conn.sobject('FieldPermissions').create(create, { allOrNone: false }) as Promise<SaveResult[]>,
      { noRetry: true },
    );
    refuseFailed(results, 'granting field permissions on the leadlift fields', MANAGE);
  }
  if (update.length > 0) {
    const results = await step(caller, 'updating field permissions on the leadlift fields', MANAGE, (conn) =>
      conn.sobject('FieldPermissions').update(update, { allOrNone: false }) as Promise<SaveResult[]>,
    );
    refuseFailed(results, 'updating field permissions on the leadlift fields', MANAGE);
  }
}

/** A record's error in a collection's answer; DUPLICATE_VALUE means another install made that row first. */
function refuseFailed(results: SaveResult[], action: string, needs: string): void {
  for (const r of results) {
    if (r.success) continue;
    const first = r.errors[0];
    if (first?.errorCode === 'DUPLICATE_VALUE') continue;
    throw new Refused(new SalesforceRequestError(action, first?.errorCode ?? 'UNKNOWN', first?.message ?? 'no reason given'), needs);
  }
}

async function connectedUser(caller: ApiCaller): Promise<{ id: string; username: string }> {
  const conn = await caller.connection();
  // identity() first reads the identity URL from the version's resource list unless jsforce already has it.
  const info = await caller.call('reading which user leadlift connects as', (c) => c.identity(), { requests: conn.userInfo?.url ? 1 : 2 });
  return { id: info.user_id, username: info.username };
}

async function ensureAssignment(caller: ApiCaller, permissionSetId: string, userId: string): Promise<void> {
  const found = await step(caller, 'looking up the permission set assignment', VIEW_SETUP, async (conn) =>
    (await conn.query<{ Id: string }>(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${userId}' AND PermissionSetId = '${permissionSetId}'`)) as QueryResult<{ Id: string }>,
  );
  if (found.records.length > 0) return;
  try {
    await step(caller, 'assigning the leadlift permission set to the connected user', ASSIGN, (conn) =>
      conn.sobject('PermissionSetAssignment').create({ AssigneeId: userId, PermissionSetId: permissionSetId }) as Promise<SaveResult>,
      { noRetry: true },
    );
  } catch (err) {
    // Assigned by another install meanwhile: what this step wanted.
    if (err instanceof Refused && err.cause.errorCode === 'DUPLICATE_VALUE') return;
    throw err;
  }
}
