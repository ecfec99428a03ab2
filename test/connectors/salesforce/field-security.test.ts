import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SalesforceFieldAccessError, SalesforceRequestError } from '../../../connectors/salesforce/errors.js';
import { loadManifest } from '../../../src/domain/manifest.js';
import { allPages, clearLog, jobsCreated, requests, scoreFields, scoresFor, startSalesforceFixture, type SalesforceFixture } from './fixture.js';

const NO_RIGHTS = { salesforceUserPermissions: { managePermissionSets: false, assignPermissionSets: false } };

/**
 * The connector against an org that, like a real one, gives the fields the schema step creates no
 * field-level security for the integration user (sandbox option salesforceFieldSecurity): the
 * schema step grants it through leadlift's own permission set, assigned to the connected user,
 * and creates the read-only one for reps that the admin assigns.
 */
describe('Salesforce connector grants itself field-level security through permission sets', () => {
  let fx: SalesforceFixture;
  const names = loadManifest().salesforce.fields.map((f) => f.name);
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 30 });
    await fx.control('PATCH', '/options', { salesforceFieldSecurity: true });
  });
  afterAll(async () => fx.close());

  const count = async (soql: string) => (await fx.jsforce().query(soql)).totalSize;

  it('a fresh secured org ends the install with the fields readable and writable and the scores written; the admin is told to assign the reader set', async () => {
    const connector = fx.connector();
    const report = await connector.ensureSchema([...scoreFields()]);
    expect(report.created).toHaveLength(names.length);
    expect(report.adminActions[0]).toMatch(/^Assign the permission set "leadlift Reader" to the sales reps and managers .*Read field-level security on Lead\.Lead_Score__c/);
    expect(report.adminActions[0]).toMatch(/gave its own user \(admin@leadlift-sandbox\.example\) Read and Edit on them through the permission set "leadlift Integration"/);
    expect(report.adminActions.join(' ')).not.toMatch(/Set Field-Level Security/);

    const described = new Map((await fx.jsforce().describe('Lead')).fields.map((f) => [f.name, f]));
    for (const name of names) expect(described.get(name), name).toMatchObject({ updateable: true, createable: true });
    const leads = (await allPages(connector.pullLeads(null))).flatMap((p) => p.records);
    expect(leads.length).toBeGreaterThan(0);
    const ids = (await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false')).records.map((r) => r.Id).slice(0, 5);
    const pushed = await connector.pushScores(scoresFor(ids));
    expect(pushed.written).toHaveLength(5);
    const read = await fx.jsforce().query<{ Lead_Score__c: number | null }>(`SELECT Lead_Score__c FROM Lead WHERE Id IN ('${ids.join("','")}')`);
    expect(read.records.every((r) => typeof r.Lead_Score__c === 'number')).toBe(true);

    const sets = await fx.jsforce().query<{ Id: string; Name: string; Label: string }>("SELECT Id, Name, Label FROM PermissionSet WHERE Name IN ('leadlift_Integration', 'leadlift_Reader') ORDER BY Name");
    expect(sets.records.map((r) => [r.Name, r.Label])).toEqual([['leadlift_Integration', 'leadlift Integration'], ['leadlift_Reader', 'leadlift Reader']]);
    const [integration, reader] = sets.records.map((r) => r.Id);
    const rows = async (parent: string) =>
      (await fx.jsforce().query<{ Field: string; PermissionsRead: boolean; PermissionsEdit: boolean }>(`SELECT Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = '${parent}'`)).records
        .map((r) => `${r.Field}:${r.PermissionsRead ? 'R' : ''}${r.PermissionsEdit ? 'E' : ''}`).sort();
    expect(await rows(integration)).toEqual(names.map((n) => `Lead.${n}:RE`).sort());
    expect(await rows(reader)).toEqual(names.map((n) => `Lead.${n}:R`).sort());
    const user = (await fx.jsforce().identity()).user_id;
    expect(await count(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${user}' AND PermissionSetId = '${integration}'`)).toBe(1);
    expect(await count(`SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = '${reader}'`)).toBe(0);
  });

  it('creates exactly the permission sets manifest.json lists, with the access it says', async () => {
    await fx.connector().ensureSchema([...scoreFields()]);
    const listed = loadManifest().salesforce.permissionSets;
    const sets = await fx.jsforce().query<{ Id: string; Name: string; Label: string }>("SELECT Id, Name, Label FROM PermissionSet WHERE Name LIKE 'leadlift%' ORDER BY Name");
    expect(sets.records.map((r) => [r.Name, r.Label])).toEqual(listed.map((p) => [p.name, p.label]).sort());
    for (const set of sets.records) {
      const rows = (await fx.jsforce().query<{ PermissionsEdit: boolean }>(`SELECT PermissionsEdit FROM FieldPermissions WHERE ParentId = '${set.Id}'`)).records;
      const access = listed.find((p) => p.name === set.Name)!.access;
      expect(rows.length).toBe(names.length);
      expect(rows.every((r) => r.PermissionsEdit === (access === 'edit'))).toBe(true);
    }
  });

  it('a connector that granted once does not bring the permission sets in line again before every push, and says the same admin actions', async () => {
    const connector = fx.connector();
    const first = await connector.ensureSchema([...scoreFields()]);
    await clearLog(fx);
    const again = await connector.ensureSchema([...scoreFields()]);
    expect(again.adminActions).toEqual(first.adminActions);
    const asked = (await requests(fx)).filter((r) => /PermissionSet|FieldPermissions/.test(decodeURIComponent(r.path)));
    expect(asked).toEqual([]);
    // A new connection (a restart, a reconnect) checks again.
    await clearLog(fx);
    await fx.connector().ensureSchema([...scoreFields()]);
    expect((await requests(fx)).filter((r) => /PermissionSet|FieldPermissions/.test(decodeURIComponent(r.path))).length).toBeGreaterThan(0);
  });

  it('a second install is idempotent: no second permission set, row or assignment, the same admin actions; a reader row someone widened to Edit is put back', async () => {
    const first = await fx.connector().ensureSchema([...scoreFields()]);
    const reader = (await fx.jsforce().query<{ Id: string }>("SELECT Id FROM PermissionSet WHERE Name = 'leadlift_Reader'")).records[0].Id;
    const widened = (await fx.jsforce().query<{ Id: string }>(`SELECT Id FROM FieldPermissions WHERE ParentId = '${reader}' AND Field = 'Lead.Lead_Score__c'`)).records[0].Id;
    await fx.jsforce().sobject('FieldPermissions').update({ Id: widened, PermissionsEdit: true });

    const second = await fx.connector().ensureSchema([...scoreFields()]);
    expect(second.created).toEqual([]);
    expect(second.adminActions).toEqual(first.adminActions);
    expect(await count("SELECT Id FROM PermissionSet WHERE Name LIKE 'leadlift%'")).toBe(2);
    expect(await count('SELECT Id FROM FieldPermissions')).toBe(2 * names.length);
    expect(await count('SELECT Id FROM PermissionSetAssignment')).toBe(1);
    const back = await fx.jsforce().sobject('FieldPermissions').retrieve(widened);
    expect(back).toMatchObject({ PermissionsRead: true, PermissionsEdit: false });
  });
});

/**
 * The same org with a connected user that may not manage permission sets: the schema step says
 * what to grant by hand and which permission was missing, the push stops with what to grant
 * until the admin has, then writes.
 */
describe('Salesforce connector before and after the admin grants field-level security', () => {
  let fx: SalesforceFixture;
  const names = loadManifest().salesforce.fields.map((f) => f.name);
  beforeAll(async () => {
    fx = await startSalesforceFixture({ leads: 30 });
    await fx.control('PATCH', '/options', { salesforceFieldSecurity: true, ...NO_RIGHTS });
  });
  afterAll(async () => fx.close());

  it('creates the fields, tells the admin to grant them naming the missing permission; the push is refused naming them, then writes once granted', async () => {
    const connector = fx.connector();
    const report = await connector.ensureSchema([...scoreFields()]);
    expect(report.created).toHaveLength(names.length);
    expect(report.adminActions[0]).toMatch(/Grant field-level security .*Read and Edit to the integration user/);
    expect(report.adminActions[0]).toMatch(
      /leadlift could not create its permission sets itself: Salesforce refused creating the permission set "leadlift Integration" \(INSUFFICIENT_ACCESS_OR_READONLY\).*needs the "Manage Profiles and Permission Sets" permission/,
    );
    expect((await fx.jsforce().query("SELECT Id FROM PermissionSet WHERE Name = 'leadlift_Integration'")).totalSize).toBe(0);
    const described = (await fx.jsforce().describe('Lead')).fields.map((f) => f.name);
    for (const name of names) expect(described).not.toContain(name);

    const leads = (await allPages(connector.pullLeads(null))).flatMap((p) => p.records);
    expect(leads.length).toBeGreaterThan(0);
    const ids = (await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false')).records.map((r) => r.Id).slice(0, 5);
    const refused = await connector.pushScores(scoresFor(ids)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SalesforceFieldAccessError);
    expect((refused as Error).message).toMatch(/grant field-level security \(Read and Edit\)/);

    await fx.control('POST', '/salesforce/field-security', { fields: names.map((n) => `Lead.${n}`) });
    const pushed = await fx.connector().pushScores(scoresFor(ids));
    expect(pushed.written).toHaveLength(5);
    const read = await fx.jsforce().query<{ Lead_Score__c: number | null }>(`SELECT Lead_Score__c FROM Lead WHERE Id IN ('${ids.join("','")}')`);
    expect(read.records.every((r) => typeof r.Lead_Score__c === 'number')).toBe(true);
  });

  it('fields granted Read but not Edit: the push (collections or a Bulk API job) stops saying Edit is missing, nothing marked failed; then writes once Edit is granted', async () => {
    const own = names.map((n) => `Lead.${n}`);
    await fx.control('POST', '/salesforce/field-security', { fields: own, access: 'read' });
    const ids = (await fx.jsforce().query<{ Id: string }>('SELECT Id FROM Lead WHERE IsConverted = false')).records.map((r) => r.Id).slice(0, 6);
    await clearLog(fx);
    for (const connector of [fx.connector(), fx.connector({ bulkThreshold: 2 })]) {
      const refused = await connector.pushScores(scoresFor(ids, 3)).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SalesforceFieldAccessError);
      expect((refused as SalesforceFieldAccessError).errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
      expect((refused as SalesforceFieldAccessError).fields).toEqual(expect.arrayContaining(['Lead_Score__c', 'Lead_Score_Tier__c']));
      expect((refused as Error).message).toMatch(/can read the leadlift fields .*Lead_Score__c.* but not edit them: grant field-level security \(Read and Edit\).*tick Edit Access/);
      expect((refused as Error).message).not.toMatch(/run the schema step/);
    }
    expect(jobsCreated(await requests(fx))).toHaveLength(1);
    await fx.control('POST', '/salesforce/field-security', { fields: own, access: 'edit' });
    const pushed = await fx.connector({ bulkThreshold: 2 }).pushScores(scoresFor(ids, 3));
    expect(pushed.written).toHaveLength(6);
    expect(pushed.failed).toEqual([]);
  });

  it('an INVALID_FIELD on another field of the pull is not blamed on leadlift\'s fields the quoted query also names', async () => {
    const refused = await allPages(fx.connector({ leadFields: ['Lead_Score__c', 'Industy'] }).pullLeads(null)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SalesforceRequestError);
    expect((refused as SalesforceRequestError).errorCode).toBe('INVALID_FIELD');
    expect((refused as Error).message).toMatch(/No such column 'Industy'/);
  });

  it('may create permission sets but not assign them: they are made, and the admin is told to assign leadlift\'s to the integration user; once allowed, the next install assigns it', async () => {
    await fx.control('PATCH', '/options', { salesforceUserPermissions: { managePermissionSets: true, assignPermissionSets: false } });
    const report = await fx.connector().ensureSchema([...scoreFields()]);
    expect(report.adminActions[0]).toMatch(
      /^Assign the permission set "leadlift Integration" to the integration user .*could not assign it: Salesforce refused assigning .*\(INSUFFICIENT_ACCESS_OR_READONLY\).*needs the "Assign Permission Sets" permission/,
    );
    expect(report.adminActions[1]).toMatch(/^Assign the permission set "leadlift Reader" to the sales reps/);
    expect((await fx.jsforce().query('SELECT Id FROM PermissionSetAssignment')).totalSize).toBe(0);

    await fx.control('PATCH', '/options', { salesforceUserPermissions: { managePermissionSets: true, assignPermissionSets: true } });
    const again = await fx.connector().ensureSchema([...scoreFields()]);
    expect(again.adminActions[0]).toMatch(/gave its own user .* Read and Edit on them through the permission set "leadlift Integration"/);
    expect((await fx.jsforce().query('SELECT Id FROM PermissionSetAssignment')).totalSize).toBe(1);
  });
});
