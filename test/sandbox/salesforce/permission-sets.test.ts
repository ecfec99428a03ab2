import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../connectors/sandbox/server.js';
import { connect, control, makeLeads, rejection, startSalesforce } from './helpers.js';

/**
 * PermissionSet, FieldPermissions and PermissionSetAssignment through the REST sObject API, as
 * an integration grants itself field-level security on fields it created: a permission set with
 * Read (and Edit) on a field, assigned to the connected user, makes a secured field readable (and
 * writable); the duplicate and access refusals are Salesforce's.
 */
const METADATA = { label: 'Lead Score', type: 'Number', precision: 3, scale: 0 };

describe('Salesforce sandbox: permission sets grant field-level security', () => {
  let sandbox: RunningSandbox;
  let ids: string[];
  beforeAll(async () => {
    sandbox = await startSalesforce({ seed: makeLeads(10, 0.5) });
    await control(sandbox, 'PATCH', '/options', { salesforceFieldSecurity: true });
    ids = (await connect(sandbox).query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false')).records.map((r) => r.Id);
  });
  afterEach(async () => control(sandbox, 'PATCH', '/options', { salesforceUserPermissions: { managePermissionSets: true, assignPermissionSets: true } }));
  afterAll(async () => sandbox.close());

  const fieldOf = async (name: string) => (await connect(sandbox).sobject('Lead').describe()).fields.find((f) => f.name === name);

  it('Read on an assigned permission set makes the field read-only, Edit makes it writable; unassigning hides it again', async () => {
    const conn = connect(sandbox);
    await conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Granted_Score__c', Metadata: METADATA });
    expect(await fieldOf('Granted_Score__c')).toBeUndefined();

    const set = await conn.sobject('PermissionSet').create({ Name: 'Score_Access', Label: 'Score Access' });
    expect(set).toMatchObject({ success: true });
    expect(set.id!.startsWith('0PS')).toBe(true);
    const found = await conn.query<{ Id: string; Label: string; IsOwnedByProfile: boolean }>("SELECT Id, Label, IsOwnedByProfile FROM PermissionSet WHERE Name = 'Score_Access'");
    expect(found.records.map((r) => [r.Id, r.Label, r.IsOwnedByProfile])).toEqual([[set.id, 'Score Access', false]]);

    // Field names come back as Salesforce spells them, whatever case was sent.
    const fp = await conn.sobject('FieldPermissions').create({ ParentId: set.id, SobjectType: 'lead', Field: 'lead.granted_score__c', PermissionsRead: true });
    const row = await conn.sobject('FieldPermissions').retrieve(fp.id!);
    expect(row).toMatchObject({ SobjectType: 'Lead', Field: 'Lead.Granted_Score__c', PermissionsRead: true, PermissionsEdit: false });
    // Not assigned yet: nothing changes for the user.
    expect(await fieldOf('Granted_Score__c')).toBeUndefined();

    const assignment = await conn.sobject('PermissionSetAssignment').create({ AssigneeId: (await conn.identity()).user_id, PermissionSetId: set.id });
    expect(assignment.id!.startsWith('0Pa')).toBe(true);
    expect(await fieldOf('Granted_Score__c')).toMatchObject({ createable: false, updateable: false });
    expect((await rejection(conn.sobject('Lead').update({ Id: ids[0], Granted_Score__c: 5 }))).errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');

    await conn.sobject('FieldPermissions').update({ Id: fp.id!, PermissionsEdit: true });
    expect(await fieldOf('Granted_Score__c')).toMatchObject({ createable: true, updateable: true });
    await conn.sobject('Lead').update({ Id: ids[0], Granted_Score__c: 5 });
    const read = await conn.query<{ Granted_Score__c: number }>(`SELECT Granted_Score__c FROM Lead WHERE Id = '${ids[0]}'`);
    expect(read.records.map((r) => r.Granted_Score__c)).toEqual([5]);

    await conn.sobject('PermissionSetAssignment').destroy(assignment.id!);
    expect(await fieldOf('Granted_Score__c')).toBeUndefined();
  });

  it('refuses what Salesforce refuses: a second permission set of the same Name, a second row per field or assignment, Edit without Read, unknown fields', async () => {
    const conn = connect(sandbox);
    await conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Dup_Score__c', Metadata: METADATA });
    const set = await conn.sobject('PermissionSet').create({ Name: 'Dup_Check', Label: 'Dup Check' });
    const again = await rejection(conn.sobject('PermissionSet').create({ Name: 'dup_check', Label: 'Other' }));
    expect(again.errorCode).toBe('DUPLICATE_DEVELOPER_NAME');
    expect((await rejection(conn.sobject('PermissionSet').create({ Name: 'Has Space', Label: 'x' }))).errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect((await rejection(conn.sobject('PermissionSet').create({ Name: 'No_Label' }))).errorCode).toBe('REQUIRED_FIELD_MISSING');

    const grant = { ParentId: set.id, SobjectType: 'Lead', Field: 'Lead.Dup_Score__c', PermissionsRead: true, PermissionsEdit: true };
    await conn.sobject('FieldPermissions').create(grant);
    const twice = await rejection(conn.sobject('FieldPermissions').create(grant));
    expect(twice.errorCode).toBe('DUPLICATE_VALUE');
    expect(twice.message).toBe('duplicate value found: <unknown> duplicates value on record with id: <unknown>');
    expect((await rejection(conn.sobject('FieldPermissions').create({ ...grant, Field: 'Lead.Nope__c' }))).errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const editOnly = await conn.sobject('PermissionSet').create({ Name: 'Edit_Only', Label: 'Edit Only' });
    expect((await rejection(conn.sobject('FieldPermissions').create({ ...grant, ParentId: editOnly.id, PermissionsRead: false }))).errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    // The field a row is about is fixed at create, as in Salesforce.
    const rows = await conn.query<{ Id: string }>(`SELECT Id FROM FieldPermissions WHERE ParentId = '${set.id}'`);
    expect((await rejection(conn.sobject('FieldPermissions').update({ Id: rows.records[0].Id, Field: 'Lead.Granted_Score__c' }))).errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');

    const user = (await conn.identity()).user_id;
    await conn.sobject('PermissionSetAssignment').create({ AssigneeId: user, PermissionSetId: set.id });
    expect((await rejection(conn.sobject('PermissionSetAssignment').create({ AssigneeId: user, PermissionSetId: set.id }))).errorCode).toBe('DUPLICATE_VALUE');
    const bad = await rejection(conn.sobject('PermissionSetAssignment').create({ AssigneeId: user, PermissionSetId: ids[0] }));
    expect(bad.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(bad.message).toContain(`Permission Set ID: id value of incorrect type: ${ids[0]}`);
  });

  it('a user without Manage Profiles and Permission Sets, or without Assign Permission Sets, is refused INSUFFICIENT_ACCESS_OR_READONLY', async () => {
    const conn = connect(sandbox);
    const set = await conn.sobject('PermissionSet').create({ Name: 'Rights_Check', Label: 'Rights Check' });
    await control(sandbox, 'PATCH', '/options', { salesforceUserPermissions: { managePermissionSets: false, assignPermissionSets: true } });
    const refused = await rejection(conn.sobject('PermissionSet').create({ Name: 'Not_Allowed', Label: 'Not Allowed' }));
    expect(refused.errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    expect((await conn.query("SELECT Id FROM PermissionSet WHERE Name = 'Not_Allowed'")).totalSize).toBe(0);
    await control(sandbox, 'PATCH', '/options', { salesforceUserPermissions: { managePermissionSets: true, assignPermissionSets: false } });
    const unassigned = await rejection(conn.sobject('PermissionSetAssignment').create({ AssigneeId: (await conn.identity()).user_id, PermissionSetId: set.id }));
    expect(unassigned.errorCode).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
  });

  it('grants survive --state, and a deleted field takes its FieldPermissions rows with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-permset-'));
    const stateFile = join(dir, 'state.json');
    let saved = await startSalesforce({ stateFile });
    try {
      await control(saved, 'PATCH', '/options', { salesforceFieldSecurity: true });
      const conn = connect(saved);
      const field = await conn.tooling.sobject('CustomField').create({ FullName: 'Lead.Kept_Score__c', Metadata: METADATA });
      const set = await conn.sobject('PermissionSet').create({ Name: 'Kept', Label: 'Kept' });
      await conn.sobject('FieldPermissions').create({ ParentId: set.id, SobjectType: 'Lead', Field: 'Lead.Kept_Score__c', PermissionsRead: true, PermissionsEdit: true });
      await conn.sobject('PermissionSetAssignment').create({ AssigneeId: (await conn.identity()).user_id, PermissionSetId: set.id });
      await saved.close();
      saved = await startSalesforce({ stateFile });
      const after = connect(saved);
      const described = (await after.sobject('Lead').describe()).fields.find((f) => f.name === 'Kept_Score__c');
      expect(described).toMatchObject({ updateable: true });

      await after.tooling.sobject('CustomField').destroy(field.id!);
      expect((await after.query("SELECT Id FROM FieldPermissions WHERE Field = 'Lead.Kept_Score__c'")).totalSize).toBe(0);
    } finally {
      await saved.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
