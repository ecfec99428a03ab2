import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliWorkspace } from './synthetic-leads.js';

// Models and scored files hold CRM data: new ones are readable by their owner only, even under
// the usual umask 022 (they were 0644). A file that is replaced keeps the mode its owner gave it.
const ws = useCliWorkspace('leadlift-private-output-');
const mode = (path: string) => statSync(path).mode & 0o777;

describe('files train, evaluate and score write', () => {
  it('are created 0600; a replaced file keeps its mode', () => {
    const model = join(ws.dir, 'model.json');
    const saved = join(ws.dir, 'evaluated.json');
    const scored = join(ws.dir, 'scored.csv');
    const kept = join(ws.dir, 'kept.csv');
    writeFileSync(kept, 'old\n');
    chmodSync(kept, 0o644);
    const t = ws.run(['train', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--output', model]);
    expect(t.status, t.stderr).toBe(0);
    const e = ws.run(['evaluate', '--input', ws.csv, '--label', 'converted', '--order', 'created', '--exclude', 'id', '--save-model', saved]);
    expect(e.status, e.stderr).toBe(0);
    for (const output of [scored, kept]) {
      const s = ws.run(['score', '--input', ws.csv, '--model', model, '--output', output]);
      expect(s.status, s.stderr).toBe(0);
    }
    expect(mode(model)).toBe(0o600);
    expect(mode(saved)).toBe(0o600);
    expect(mode(scored)).toBe(0o600);
    expect(mode(kept)).toBe(0o644);
  });
});
