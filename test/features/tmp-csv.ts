import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Writes small CSV files into one temp folder per test file, removed afterwards. */
export function tmpCsvWriter(): (name: string, content: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-features-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, content, 'utf8');
    return path;
  };
}
