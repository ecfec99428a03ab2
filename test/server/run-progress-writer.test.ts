import { describe, expect, it } from 'vitest';
import { runProgressWriter } from '../../src/server/run-progress-writer.js';
import { backends, useStore } from '../store/backends.js';

const started = '2026-12-01T10:00:00.000Z';
const at = (step: 'sync' | 'push' | null, done: number, message = 'm') => ({ task: 'retrain' as const, step, done, total: 0, message, startedAt: started });

describe.each(backends)('the shared progress of a run ($name store)', (backend) => {
  const { store } = useStore(backend);

  it('writes at once at each new step, holds the rest of a step until its second is up, and ends with the outcome', async () => {
    const runs = store().runs;
    const run = await runs.start('cycle', 'hubspot');
    // Each UPDATE as it is sent (to the real store): what was written, without waiting to see.
    const sent: Array<{ step: unknown; done: number; outcome?: string }> = [];
    const recorded = { setProgress: (id: string, p: Parameters<typeof runs.setProgress>[1]) => (sent.push(p), runs.setProgress(id, p)) };
    // A minute between writes of one step: nothing here depends on how fast the test runs.
    const writer = runProgressWriter(recorded, run.id, 60_000);
    writer.changed(at(null, 0, 'Starting…'));
    writer.changed(at('sync', 100));
    writer.changed(at('sync', 200));
    writer.changed(at('push', 0));
    await writer.end('Trained model v2: promoted.');
    expect(sent.map((p) => [p.step, p.done, p.outcome])).toEqual([[null, 0, undefined], ['sync', 100, undefined], ['push', 0, undefined], ['push', 0, 'Trained model v2: promoted.']]);
    expect((await runs.get(run.id))?.progress).toMatchObject({ step: 'push', done: 0, outcome: 'Trained model v2: promoted.', startedAt: started });
    expect((await runs.lastWithProgress('hubspot'))?.id).toBe(run.id);
    expect(await runs.lastWithProgress('salesforce')).toBeNull();
    // After the end nothing more is written.
    writer.changed(at('push', 5));
    expect(sent).toHaveLength(4);
  });

  it('a run without progress (a scheduled cycle) is not the last with progress', async () => {
    const runs = store().runs;
    const install = await runs.start('cycle', 'hubspot');
    await runs.setProgress(install.id, { ...at('push', 3), at: started });
    await runs.finish(install.id, { status: 'ok' });
    await runs.start('cycle', 'hubspot');
    expect((await runs.lastWithProgress('hubspot'))?.id).toBe(install.id);
  });
});
