import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { leadliftBin } from './cli-child.js';

describe('a reader that closes stdout early', () => {
  it('ends the command quietly, as `leadlift score --help | head` expects, not with an EPIPE stack', async () => {
    const child = spawn(process.execPath, [leadliftBin, 'score', '--help']);
    // Closed before the CLI has started (it takes a tenth of a second or more): its first write meets no reader.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
