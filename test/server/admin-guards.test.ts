import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS_SETTING } from '../../src/jobs/tiers-in-use.js';
import { ADMIN, Session, startServerFixture, type ServerFixture } from './server-fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startServerFixture();
});
afterAll(async () => {
  await fx?.close();
});

const decode = (html: string) => html.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('a capacity that puts every lead in one tier', () => {
  const absurd = { name: ['Call today', 'Warm', 'Cold', ''], mode: ['capacity', 'score', 'score', 'score'], min: ['', '50', '0', ''], perDay: ['100000', '', '', ''] };

  it('is previewed with a warning, and saved only after a second submit that confirms it', async () => {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    const open = (await fx.store.scores.latest('hubspot')).size;

    const preview = await s.request('/admin/tiers/preview', {
      json: { tiers: absurd.name.map((name, i) => ({ name, mode: absurd.mode[i], min: absurd.min[i], perDay: absurd.perDay[i] })) },
      headers: { 'x-csrf-token': csrf, accept: 'application/json' },
    });
    const data = (await preview.json()) as { valid: boolean; total: number; warnings: string[] };
    expect(data.valid).toBe(true);
    expect(data.warnings).toHaveLength(1);
    expect(data.warnings[0]).toMatch(/^Tier 1 “Call today”: top 100,000 a day is more than the [\d,]+ open leads, so it would hold all [\d,]+ open leads and “Warm”, “Cold” would hold none\.$/);

    const held = await s.request('/admin/tiers', { form: { _csrf: csrf, ...absurd } });
    expect(held.status).toBe(422);
    const page = decode(await held.text());
    expect(page).toContain(data.warnings[0]);
    expect(page).toContain('Nothing was saved. Tick the box to save these tiers anyway.');
    expect(await fx.store.settings.get(TIERS_SETTING)).toBeNull();
    const token = /name="confirm" id="tier-confirm" value="([0-9a-f]+)"/.exec(page)![1];

    // A confirmation given for other tiers does not count for these.
    const stale = await s.request('/admin/tiers', { form: { _csrf: csrf, ...absurd, perDay: ['90000', '', '', ''], confirm: token } });
    expect(stale.status).toBe(422);
    expect(await fx.store.settings.get(TIERS_SETTING)).toBeNull();

    const saved = await s.request('/admin/tiers', { form: { _csrf: csrf, ...absurd, confirm: token } });
    expect(saved.status).toBe(303);
    expect((await fx.store.settings.get(TIERS_SETTING))?.value).toEqual([{ name: 'Call today', perDay: 100000 }, { name: 'Warm', min: 50 }, { name: 'Cold', min: 0 }]);
    expect(open).toBeGreaterThan(0);
    await fx.deps.loop.idle();
  });

  it('is not asked about when the capacity leaves leads for the tiers below', async () => {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    const res = await s.request('/admin/tiers', { form: { _csrf: csrf, ...absurd, perDay: ['3', '', '', ''] } });
    expect(res.status).toBe(303);
    expect((await fx.store.settings.get(TIERS_SETTING))?.value).toEqual([{ name: 'Call today', perDay: 3 }, { name: 'Warm', min: 50 }, { name: 'Cold', min: 0 }]);
    await fx.deps.loop.idle();
  });
});

describe('rolling back the model', () => {
  it('asks first, saying the CRM scores are rewritten, and then says whose rollback put the model in service', async () => {
    const first = (await fx.store.models.active('hubspot'))!;
    await fx.store.models.save({ ...first, version: 'later', createdAt: undefined });
    await fx.store.models.promote('hubspot', 'later');
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin/model');
    const listed = await (await s.request('/admin/model')).text();
    expect(listed).toContain(`name="version" value="${first.version}"><button type="submit" class="secondary">Roll back to this</button>`);

    const asked = await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: first.version } });
    expect(asked.status).toBe(200);
    const page = decode(await asked.text());
    expect(page).toContain(`<code>${first.version}</code> becomes the active model in place of <code>later</code>`);
    expect(page).toContain('rescores every open lead with it right away, and their score, tier and reasons in HubSpot are rewritten');
    expect(page).toContain(`name="confirm" value="${first.version}"`);
    expect((await fx.store.models.active('hubspot'))!.version).toBe('later');
    expect(await fx.store.audit.list({ key: 'model.hubspot.active' })).toEqual([]);

    // A confirm naming another version is no confirmation of this one.
    await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: first.version, confirm: 'later' } });
    expect((await fx.store.models.active('hubspot'))!.version).toBe('later');

    const done = await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: first.version, confirm: first.version } });
    expect(done.status).toBe(303);
    expect((await fx.store.models.active('hubspot'))!.version).toBe(first.version);
    await fx.deps.loop.idle();
    const [audit] = await fx.store.audit.list({ key: 'model.hubspot.active' });
    const after = decode(await (await s.request('/admin/model')).text());
    const made = `Made active by ${ADMIN.user}'s rollback at ${audit.at.slice(0, 16).replace('T', ' ')} UTC, replacing later`;
    expect(/<dd id="promotion-reason">([^<]*)<\/dd>/.exec(after)![1]).toMatch(new RegExp(`^${made.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\. When it was trained: Promoted`));
    expect(after).toContain(`<td class="why small">${made}; when trained: Promoted`);
  });

  it('reports a version that cannot be rolled back to at once, without asking', async () => {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin/model');
    const res = await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: 'no-such-model' } });
    expect(res.status).toBe(303);
    expect(decode(await (await s.request('/admin/model')).text())).toContain('There is no hubspot model "no-such-model"');
  });
});
