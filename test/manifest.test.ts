import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest } from '../src/domain/manifest.js';
import { InputError } from '../src/domain/errors.js';

describe('manifest', () => {
  it('describes every score field for both CRMs with the contract names', () => {
    const m = loadManifest();
    expect(m.hubspot.properties.map((p) => p.name)).toEqual([
      'leadlift_score', 'leadlift_tier', 'leadlift_probability', 'leadlift_reasons',
      'leadlift_trend', 'leadlift_model_version', 'leadlift_scored_at',
    ]);
    expect(m.salesforce.fields.map((f) => f.name)).toEqual([
      'Lead_Score__c', 'Lead_Score_Tier__c', 'Lead_Score_Probability__c', 'Lead_Score_Reasons__c',
      'Lead_Score_Trend__c', 'Lead_Score_Model__c', 'Lead_Score_Updated__c',
    ]);
    expect(m.schedules.retrain.cron).toBe('0 2 * * *');
  });

  it('names the broken key of an invalid manifest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    const file = join(dir, 'manifest.json');
    const good = loadManifest();
    writeFileSync(file, JSON.stringify({ ...good, hubspot: { ...good.hubspot, scopes: [] } }));
    expect(() => loadManifest(file)).toThrow(InputError);
    expect(() => loadManifest(file)).toThrow(/hubspot\.scopes/);
  });

  it('says what is wrong and where in plain words, with the value, and places a JSON fault by line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'));
    const file = join(dir, 'manifest.json');
    const good = loadManifest();
    writeFileSync(file, JSON.stringify({ ...good, hubspot: { ...good.hubspot, scopes: [] } }));
    expect(() => loadManifest(file)).toThrow(`The app manifest ${file} is invalid: "hubspot.scopes" must list at least one value (it is [])`);
    const properties = good.hubspot.properties.map((p, i) => (i === 1 ? { ...p, type: 'numeric' } : p));
    writeFileSync(file, JSON.stringify({ ...good, hubspot: { ...good.hubspot, properties } }));
    expect(() => loadManifest(file)).toThrow(`"hubspot.properties[1].type" must be number, enumeration, text or datetime (it is "numeric")`);
    const { salesforce: _dropped, ...noSalesforce } = good;
    writeFileSync(file, JSON.stringify(noSalesforce));
    expect(() => loadManifest(file)).toThrow(`The app manifest ${file} is invalid: "salesforce" is required`);
    writeFileSync(file, '{\n  "name": "leadlift",\n}\n');
    expect(() => loadManifest(file)).toThrow(`The app manifest ${file} is not valid JSON: line 3, column 1: a key in double quotes was expected`);
  });
});
