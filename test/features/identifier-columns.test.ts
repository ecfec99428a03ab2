import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDataset } from '../../src/features/build-dataset.js';
import { isRecordIdHeader, personalIdentifierKind } from '../../src/features/identifier-columns.js';
import { guardLeakage } from '../../src/features/leakage.js';
import { parseDatasetOptions } from '../../src/features/options.js';
import { tableFromRecords } from '../../src/features/raw-table.js';

const defaults = JSON.parse(readFileSync(new URL('../../config/default.json', import.meta.url), 'utf8'));

describe('identifier columns by header', () => {
  it("covers every personal field of the loop's default neverInputs, so the CLI keeps out what the loop does", () => {
    const personal = {
      hubspot: ['firstname', 'lastname', 'salutation', 'email', 'phone', 'mobilephone', 'fax', 'address'],
      salesforce: ['FirstName', 'LastName', 'MiddleName', 'Suffix', 'Salutation', 'Name', 'Email', 'Phone', 'MobilePhone', 'Fax', 'Street'],
    };
    for (const [crm, fields] of Object.entries(personal)) {
      for (const field of fields) {
        expect(defaults.loop.neverInputs[crm], `${crm} ${field}`).toContain(field);
        expect(personalIdentifierKind(field), field).not.toBeNull();
      }
    }
  });

  it('reads export spellings and says what the identifier is', () => {
    expect(personalIdentifierKind('First Name')).toBe("a person's name");
    expect(personalIdentifierKind('last_name')).toBe("a person's name");
    expect(personalIdentifierKind('E-mail')).toBe('an e-mail address');
    expect(personalIdentifierKind('Email Address')).toBe('an e-mail address');
    expect(personalIdentifierKind('Work_Email__c')).toBe('an e-mail address');
    expect(personalIdentifierKind('hs_whatsapp_phone_number')).toBe('a phone number');
    expect(personalIdentifierKind('Billing Street')).toBe('a street address');
    expect(personalIdentifierKind('IP Address')).toBe('an IP address');
    for (const header of ['Record ID', 'id', 'Lead ID', 'hs_object_id', 'LeadId', 'Contact_ID__c']) expect(isRecordIdHeader(header), header).toBe(true);
  });

  it('leaves columns that describe the lead, including every bank-data column', () => {
    const bank = readFileSync(new URL('../../config/sample/bank-marketing-sample.csv', import.meta.url), 'utf8').split('\n')[0];
    const headers = [...bank.split(/[;,]/).map((h) => h.replace(/"/g, '').trim()), 'Email Opens', 'Company Name', 'Campaign Name', 'Campaign ID', 'Number of emails', 'Lead Source', 'Country'];
    expect(headers).toContain('contact');
    for (const header of headers) {
      expect(personalIdentifierKind(header), header).toBeNull();
      expect(isRecordIdHeader(header), header).toBe(false);
    }
  });
});

describe('guardLeakage: identifiers are not inputs', () => {
  const n = 200;
  const y = Uint8Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
  const rows = Array.from({ length: n }, (_, i) => i);
  const records = Array.from({ length: n }, (_, i) => ({
    'First Name': ['Ann', 'Bob', 'Cleo', 'Dan'][i % 4],
    // A CRM counter: handed out in creation order, with gaps.
    ref: String(1000 + 3 * i + (i % 2)),
    // Unique whole amounts in no order: an input, not an id.
    balance: String(5000 + ((i * 37) % n) * 13),
    crm_key: `00Q5e${(i * 7919).toString(36)}X`,
    note: `called on day ${i}`,
    Mobile: i % 2 ? 'yes' : 'no',
    visits: String(i % 9),
  }));
  const dataset = buildDataset(tableFromRecords(records), parseDatasetOptions({}));
  const candidates = Object.keys(records[0]);

  it('excludes names by header and record ids by unique values, with reasons that say why', () => {
    const verdict = guardLeakage(dataset, rows, y, candidates, parseDatasetOptions({}));
    const reasons = Object.fromEntries(verdict.excluded.map((e) => [e.column, e.reason]));
    expect(reasons['First Name']).toMatch(/^personal identifier: a person's name, which says nothing about buying intent/);
    expect(reasons.ref).toBe('record identifier: unique per lead (200 different values on 200 training rows), so it names leads rather than describes them');
    expect(reasons.crm_key).toMatch(/^record identifier: unique per lead/);
    // Free text unique per row is not a record id, but still no input.
    expect(reasons.note).toMatch(/^identifier-like/);
    expect(verdict.kept).toEqual(['balance', 'Mobile', 'visits']);
  });

  it('keeps a unique whole-number column the user typed in features.types', () => {
    const options = parseDatasetOptions({ types: { ref: 'numeric' } });
    const typed = buildDataset(tableFromRecords(records), options);
    const verdict = guardLeakage(typed, rows, y, ['ref', 'visits'], options);
    expect(verdict.kept).toContain('ref');
  });
});
