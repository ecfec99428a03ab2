import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useCliWorkspace } from './synthetic-leads.js';

const ws = useCliWorkspace('leadlift-model-path-');

describe('where train and evaluate save the model, checked before any training', () => {
  it('train --output in a missing folder exits 2 saying so, without training first', () => {
    const output = join(ws.dir, 'no-such-folder', 'm.json');
    const r = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--exclude', 'id', '--output', output]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`Cannot write ${output}: the folder ${join(ws.dir, 'no-such-folder')} does not exist. Create it, or give --output a path in an existing folder.`);
    expect(r.stderr).not.toContain('Training trees');
  });

  it('evaluate --save-model in a missing folder exits 2 the same way, naming --save-model', () => {
    const output = join(ws.dir, 'missing', 'm.json');
    const r = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--exclude', 'id', '--save-model', output, '--json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('does not exist. Create it, or give --save-model a path in an existing folder.');
    expect(r.stderr).not.toContain('Training trees');
    expect(r.stdout).toBe('');
  });

  it('train refuses an --output that is the --input file', () => {
    const r = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--exclude', 'id', '--output', ws.csv]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is the --input file; writing the model there would overwrite the leads');
    expect(existsSync(ws.csv)).toBe(true);
  });
});
