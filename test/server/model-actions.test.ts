import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, startServerFixture, type ServerFixture } from './server-fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startServerFixture();
});
afterAll(async () => {
  await fx?.close();
});

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');

describe('the models table and its actions', () => {
  it('refuses a rollback to the model already active, at the confirm step and at a crafted confirmation, with no audit and no rescore', async () => {
    const active = (await fx.store.models.active('hubspot'))!;
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin/model');
    const scoresBefore = (await fx.store.db.selectFrom('scores').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

    const ask = await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: active.version } });
    expect(ask.status).toBe(303);
    expect(text(await (await s.request('/admin/model')).text())).toContain(`The hubspot model "${active.version}" is already the active model; nothing was rolled back`);
    const crafted = await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: active.version, confirm: active.version } });
    expect(crafted.status).toBe(303);
    expect(text(await (await s.request('/admin/model')).text())).toContain('is already the active model');
    await fx.deps.loop.idle();
    expect(await fx.store.audit.list({ key: 'model.hubspot.active' })).toEqual([]);
    expect((await fx.store.db.selectFrom('scores').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(scoresBefore);
  });

  it('labels each AUC column with what it measures and shows the head-to-head figures the Why column speaks of; a model never active offers no action and no advice to promote it', async () => {
    const active = (await fx.store.models.active('hubspot'))!;
    const basis = `on the 3,000 closed leads created after ${active.version} was trained`;
    await fx.store.models.save({
      ...active,
      version: 'kept',
      createdAt: undefined,
      metrics: { ...active.metrics, auc: 0.631, liftTopDecile: 2.24, comparison: { testLeads: 3000, basis, activeVersion: active.version, activeAuc: 0.562, candidateAuc: 0.541, promoted: false, why: 'x' } },
    });
    const s = new Session(fx.url);
    await s.login();
    const html = await (await s.request('/admin/model')).text();
    const head = text(/<table class="data" id="models"><thead>(.*?)<\/thead>/s.exec(html)![1]);
    expect(head).toContain('AUC, own test');
    expect(head).toContain('Head-to-head AUC at training');
    const row = /<tr><td><code>kept<\/code>(.*?)<\/tr>/s.exec(html)![1];
    expect(text(row)).toContain(`0.631`);
    expect(text(row)).toContain(`0.541 vs 0.562 (${active.version}), same 3,000 leads`);
    expect(text(row)).toContain("Not promoted: AUC 0.541 is not above the active model's 0.562 on the same 3,000 closed leads");
    expect(row).not.toContain('<form');

    const csrf = await s.csrf('/admin/model');
    await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: 'kept', confirm: 'kept' } });
    const after = text(await (await s.request('/admin/model')).text());
    expect(after).toContain('was never active (training did not promote it), so it cannot be rolled back to');
    expect(after).not.toMatch(/promote it instead/i);
    expect((await fx.store.models.active('hubspot'))!.version).toBe(active.version);
  });
});
