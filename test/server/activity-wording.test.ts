import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityText } from '../../src/server/views/model-page.js';
import { startServerFixture, type ServerFixture } from './server-fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startServerFixture({ every: 40, trees: 5 });
});
afterAll(async () => {
  await fx?.close();
});

describe('the loop runner’s status text', () => {
  it('a reconnect with a recent model: counts and model, then training’s reason as a sentence; no "Done" of its own, the page adds it', async () => {
    expect(fx.deps.loop.startInstall('hubspot').started).toBe(true);
    await fx.deps.loop.idle();
    const a = fx.deps.loop.activity('hubspot');
    expect(a.state).toBe('done');
    expect(a.message).toMatch(/^[\d,]+ leads? synced, [\d,]+ scored, [\d,]+ written; scored with model \S+ \(AUC 0\.\d{3}\)\. The active model is recent enough; no training due\.$/);
    // install.js shows "Done. " + the message; the server-rendered page "Finished …: " + it.
    expect(activityText(a)).toMatch(/^Finished .*: [\d,]+ leads? synced/);
    expect(activityText(a)).not.toContain('Done');
  });
});
