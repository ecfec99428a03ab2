import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleLockName } from '../../src/jobs/cycle.js';
import { Session, startServerFixture, type ServerFixture } from './server-fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  // The rollback needs two models and the lock, not a good model: every 40th lead, five trees.
  fx = await startServerFixture({ every: 40, trees: 5 });
});
afterAll(async () => {
  await fx?.close();
});

describe('rolling back while a cycle runs', () => {
  it('changes nothing and tells the manager to try again, then rolls back once the cycle is done', async () => {
    const first = (await fx.store.models.active('hubspot'))!;
    await fx.store.models.save({ ...first, version: 'later', createdAt: undefined });
    await fx.store.models.promote('hubspot', 'later');
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin/model');

    // A cycle in another process (another host, so it is not taken over as dead) holds the lock.
    const cycle = 'other-host:99:mid-training';
    expect(await fx.store.runLock.acquire(cycleLockName('hubspot'), cycle, 60_000)).toBe(true);
    // Bad input is said at once, whatever is running.
    await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: 'no-such-model' } });
    expect(await (await s.request('/admin/model')).text()).toMatch(/There is no hubspot model ("|&quot;|&#34;)no-such-model/);
    const busy = await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: first.version, confirm: first.version } });
    expect(busy.status).toBe(303);
    expect(await (await s.request('/admin/model')).text()).toContain('A scoring cycle for HubSpot is running');
    expect((await fx.store.models.active('hubspot'))!.version).toBe('later');
    expect(await fx.store.audit.list({ key: 'model.hubspot.active' })).toEqual([]);
    expect((await fx.store.runLock.holder(cycleLockName('hubspot')))?.owner).toBe(cycle);

    await fx.store.runLock.release(cycleLockName('hubspot'), cycle);
    const done = await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: first.version, confirm: first.version } });
    expect(done.status).toBe(303);
    expect(await (await s.request('/admin/model')).text()).toContain(`Rolled back: ${first.version} is the active model again`);
    expect((await fx.store.models.active('hubspot'))!.version).toBe(first.version);
    expect(await fx.store.audit.list({ key: 'model.hubspot.active' })).toMatchObject([{ before: 'later', after: first.version }]);
    // The rollback let go of the lock: the rescore it started, and the next cycle, can take it.
    await fx.deps.loop.idle();
    expect(await fx.store.runLock.holder(cycleLockName('hubspot'))).toBeNull();
  });
});
