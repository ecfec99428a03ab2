import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-config-keys-');

describe('evaluate says when a configured column name matches no column', () => {
  it('warns about the admin\'s key that reaches nothing, applies one written in another case, and leaves the defaults\' pdays unsaid', () => {
    const config = join(ws.dir, 'keys.json');
    writeFileSync(config, JSON.stringify({ model: { trees: 30, threads: 1 }, features: { sentinels: { VISITS: ['0'] }, labels: { Sourse: 'Lead source' } } }));
    const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'id,created', '--json'], { ...ws.env, LEADLIFT_CONFIG: config });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`leadlift: warning: config features.labels.Sourse names no column of ${ws.csv}, so it does nothing`);
    expect(r.stderr).toContain('Columns are: id, created, source, visits, country, converted');
    expect(r.stderr).not.toContain('features.sentinels.pdays');
    expect(r.stderr).not.toContain('features.sentinels.VISITS');
    const visits = JSON.parse(r.stdout).normalisation.columns.find((c: { column: string }) => c.column === 'visits');
    expect(visits.sentinels).toEqual(['0']);
  });
});
