import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeadliftError } from '../../src/domain/errors.js';
import { control, hubspotClient, seedLeads, startHubspot } from './helpers.js';

/** What the sandbox says on stderr while a test runs (save failures are reported there). */
function captureStderr(): { text(): string; restore(): void } {
  const original = process.stderr.write.bind(process.stderr);
  let text = '';
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    text += String(chunk);
    return original(chunk as never, ...(rest as []));
  }) as typeof process.stderr.write;
  return { text: () => text, restore: () => void (process.stderr.write = original) };
}

describe('sandbox --state saves: one at a time, a failed save never stops later ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-state-saves-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let stderr: ReturnType<typeof captureStderr>;
  beforeEach(() => void (stderr = captureStderr()));
  afterEach(() => stderr.restore());

  it('keeps every change made by many concurrent writes and saves, across a restart', async () => {
    const file = join(dir, 'concurrent.json');
    const first = await startHubspot({ seed: seedLeads(30), stateFile: file, saveDebounceMs: 1 });
    const client = hubspotClient(first);
    const emails = Array.from({ length: 40 }, (_, i) => `concurrent${i}@example.com`);
    // Each write is chased by an explicit save, so saves overlap each other and the debounced ones.
    await Promise.all(
      emails.map(async (email) => {
        await client.crm.contacts.basicApi.create({ properties: { email }, associations: [] });
        await control(first, 'POST', '/save');
      }),
    );
    await first.close();
    expect(stderr.text()).not.toMatch(/could not save/i);

    const second = await startHubspot({ stateFile: file });
    try {
      const saved = (await hubspotClient(second).crm.contacts.getAll(100, undefined, ['email'])).map((c) => c.properties.email);
      expect(saved).toHaveLength(70);
      expect(saved).toEqual(expect.arrayContaining(emails));
    } finally {
      await second.close();
    }
  });

  it('reports a failed save with what was not saved, and the next save writes everything', async () => {
    const folder = join(dir, 'comes-and-goes');
    mkdirSync(folder);
    const file = join(folder, 'state.json');
    const sandbox = await startHubspot({ seed: seedLeads(10), stateFile: file, saveDebounceMs: 1 });
    const client = hubspotClient(sandbox);
    try {
      rmSync(folder, { recursive: true });
      await client.crm.contacts.basicApi.create({ properties: { email: 'while-gone@example.com' }, associations: [] });
      await expect.poll(() => stderr.text(), { timeout: 5000 }).toMatch(/Could not save the sandbox state/);
      expect(stderr.text()).toContain(file);
      expect(stderr.text()).toMatch(/write request\(s\) since the last save at \S+ changed is not in that file/);

      mkdirSync(folder);
      await client.crm.contacts.basicApi.create({ properties: { email: 'after@example.com' }, associations: [] });
      await control(sandbox, 'POST', '/save');
      const saved = JSON.stringify(JSON.parse(readFileSync(file, 'utf8')).parts.hubspot);
      expect(saved).toContain('while-gone@example.com');
      expect(saved).toContain('after@example.com');
    } finally {
      await sandbox.close();
    }
  });

  it('a final save that fails on close says what is lost, as a LeadliftError, not an unexpected failure', async () => {
    const folder = join(dir, 'removed-before-close');
    mkdirSync(folder);
    const file = join(folder, 'state.json');
    const sandbox = await startHubspot({ seed: seedLeads(10), stateFile: file, saveDebounceMs: 60_000 });
    await hubspotClient(sandbox).crm.contacts.basicApi.create({ properties: { email: 'last@example.com' }, associations: [] });
    rmSync(folder, { recursive: true });
    const failed = await sandbox.close().then(
      () => null,
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(LeadliftError);
    expect((failed as Error).message).toContain(file);
    expect((failed as Error).message).toMatch(/whatever the 1 write request\(s\) since the last save at \S+ changed is not in that file; the sandbox is stopping/);
  });

  it('a state file it cannot write after seeding is a failed start, not a save the next one retries', async () => {
    const folder = join(dir, 'unwritable');
    mkdirSync(folder);
    const file = join(folder, 'state.json');
    // The saver writes FILE.<pid>.tmp first: a folder in its place makes that write fail, even as root.
    mkdirSync(`${file}.${process.pid}.tmp`);
    const failed = await startHubspot({ seed: seedLeads(10), stateFile: file }).then(
      async (sandbox) => {
        await sandbox.close().catch(() => undefined);
        return null;
      },
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(LeadliftError);
    expect((failed as Error).message).toContain(`The sandbox could not start: it cannot write its --state file ${file} (EISDIR`);
    expect((failed as Error).message).not.toContain('the next save tries again');
    expect(existsSync(file)).toBe(false);
  });
});
