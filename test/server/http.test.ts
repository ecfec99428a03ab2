import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
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

const tierOptions = async () => {
  const property = await fx.hubspot.crm.properties.coreApi.getByName('contacts', 'leadlift_tier');
  return property.options.map((o) => o.value);
};

describe('login, sessions and CSRF', () => {
  it('redirects a request without a session to the login, and refuses its form posts', async () => {
    const anon = new Session(fx.url);
    const page = await anon.request('/admin');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fadmin');
    expect((await anon.request('/admin/model')).headers.get('location')).toMatch(/^\/login/);
    const csrf = await anon.csrf('/login');
    const post = await anon.request('/admin/tiers', { form: { _csrf: csrf, name: ['A', 'B'], mode: ['score', 'score'], min: ['50', '0'] } });
    expect(post.status).toBe(401);
    expect((await anon.request('/admin/model/activity.json?crm=hubspot')).status).toBe(401);
  });

  it('refuses a wrong password, and logs in with the right one into an httpOnly, SameSite=Lax session', async () => {
    const s = new Session(fx.url);
    const wrong = await s.login(ADMIN.user, 'not the password at all');
    expect(wrong.status).toBe(401);
    const body = await wrong.text();
    expect(body).toContain('do not match');
    expect(body).not.toContain('not the password at all');

    const fresh = new Session(fx.url);
    const csrf = await fresh.csrf('/login');
    const res = await fresh.request('/login', { form: { _csrf: csrf, user: ADMIN.user, password: ADMIN.password, next: '/admin/model' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/model');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('leadlift_session='))!;
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);
    expect((await fresh.request('/admin')).status).toBe(200);
  });

  it('never redirects off-site after login', async () => {
    const s = new Session(fx.url);
    const csrf = await s.csrf('/login');
    const res = await s.request('/login', { form: { _csrf: csrf, user: ADMIN.user, password: ADMIN.password, next: '//evil.example.com/x' } });
    expect(res.headers.get('location')).toBe('/admin');
  });

  it('refuses a login post without the CSRF token, and a logged-in form post with a wrong one', async () => {
    const s = new Session(fx.url);
    await s.csrf('/login');
    expect((await s.request('/login', { form: { user: ADMIN.user, password: ADMIN.password } })).status).toBe(403);
    await s.login();
    const bad = await s.request('/admin/tiers', { form: { _csrf: 'forged', name: ['A', 'B'], mode: ['score', 'score'], min: ['50', '0'] } });
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain('CSRF');
    const preview = await s.request('/admin/tiers/preview', { json: { tiers: [{ name: 'A', min: '0' }] } });
    expect(preview.status).toBe(403);
  });

  it('sends helmet headers with a CSP that loads scripts from this server only', async () => {
    const res = await fetch(`${fx.url}/login`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/cdn|https:\/\//);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    const chart = await fetch(`${fx.url}/static/chart.umd.js`);
    expect(chart.status).toBe(200);
    expect((await chart.text()).length).toBeGreaterThan(100_000);
  });
});

describe('static files', () => {
  it('lists no folder and answers a missing file as not found, without internals', async () => {
    for (const path of ['/static/', '/static/nope.js', '/static/%2e%2e/%2e%2e/package.json']) {
      const res = await fetch(`${fx.url}${path}`);
      expect(res.status, path).toBe(404);
      const body = await res.text();
      expect(body, path).toContain('<title>Not found · leadlift</title>');
      expect(body, path).not.toMatch(/app\.css<|install\.js<|at .*\.js:\d+|"name": "leadlift"|node_modules/);
    }
  });
});

describe('tier editor', () => {
  it('previews how many open leads each tier would hold, without saving', async () => {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    const res = await s.request('/admin/tiers/preview', {
      json: { tiers: [{ name: 'Top', min: '40' }, { name: 'Rest', min: '0' }] },
      headers: { 'x-csrf-token': csrf },
    });
    expect(res.status).toBe(200);
    const data = (await res.json()) as { total: number; valid: boolean; rows: Array<{ preview: { leads: number } | null }> };
    expect(data.valid).toBe(true);
    expect(data.total).toBe(fx.firstCycle.score.scored);
    const [top, rest] = data.rows.map((r) => r.preview!.leads);
    expect(top + rest).toBe(data.total);
    // The preview counts what the store holds: the same as counting the latest scores directly.
    const latest = [...(await fx.store.scores.latest('hubspot')).values()];
    expect(top).toBe(latest.filter((x) => x.score >= 40).length);
    expect(await fx.store.settings.get(TIERS_SETTING)).toBeNull();
  });

  it('previews "top N leads a day" as exactly N leads, and the minimum score they currently end at', async () => {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    const res = await s.request('/admin/tiers/preview', {
      json: { tiers: [{ name: 'Call today', mode: 'capacity', perDay: '1' }, { name: 'Later', min: '0' }] },
      headers: { 'x-csrf-token': csrf },
    });
    const data = (await res.json()) as { total: number; valid: boolean; rows: Array<{ resolvedMin: number; errors: Record<string, string>; preview: { leads: number; share: number } }> };
    expect(data.valid).toBe(true);
    const top = data.rows[0];
    expect(top.errors).toEqual({});
    expect(top.preview).toEqual({ leads: 1, share: 1 / data.total });
    const best = Math.max(...[...(await fx.store.scores.latest('hubspot')).values()].map((x) => x.score));
    expect(top.resolvedMin).toBe(best);
  });

  it('shows validation messages next to the fields and saves nothing', async () => {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    const res = await s.request('/admin/tiers', { form: { _csrf: csrf, name: ['Hot', 'hot', 'Cold'], mode: ['score', 'score', 'score'], min: ['70', '80', '5'], perDay: ['', '', ''] } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/id="tier-1-name-error" role="alert">&quot;hot&quot; is already used by tier 1; tier names must be unique/);
    expect(html).toMatch(/id="tier-2-min-error" role="alert">The lowest tier must start at 0/);
    expect(await fx.store.settings.get(TIERS_SETTING)).toBeNull();
  });

  it('saves valid tiers with an audit entry and pushes the names to the CRM tier options', async () => {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    const res = await s.request('/admin/tiers', {
      form: { _csrf: csrf, name: ['Priority', 'Nurture', 'Park', ''], mode: ['score', 'score', 'score', 'score'], min: ['60', '15', '0', ''], perDay: ['', '', '', ''] },
    });
    expect(res.status).toBe(303);
    const saved = await fx.store.settings.get(TIERS_SETTING);
    expect(saved?.value).toEqual([{ name: 'Priority', min: 60 }, { name: 'Nurture', min: 15 }, { name: 'Park', min: 0 }]);
    expect(saved?.updatedBy).toBe(ADMIN.user);
    const [audit] = await fx.store.audit.list({ key: TIERS_SETTING });
    expect(audit.actor).toBe(ADMIN.user);
    expect(audit.before).toBeNull();
    expect(audit.after).toEqual(saved?.value);
    // The old names stay options until the rescore has rewritten the leads holding them.
    expect((await tierOptions()).slice(0, 3)).toEqual(['Priority', 'Nurture', 'Park']);
    const page = await (await s.request('/admin')).text();
    expect(page).toContain('Tiers saved. HubSpot: the field “Lead priority tier (leadlift)” now offers these tier names. Its leads are being rescored into the new tiers now.');
    expect(page).toContain('Priority ≥ 60, Nurture ≥ 15, Park ≥ 0');
    // The rescore that follows gives the open leads their new tier names.
    await fx.deps.loop.idle();
    const tiers = new Set([...(await fx.store.scores.latest('hubspot')).values()].map((x) => x.tier));
    expect([...tiers].every((t) => ['Priority', 'Nurture', 'Park'].includes(t))).toBe(true);
    expect(await tierOptions()).toEqual(['Priority', 'Nurture', 'Park']);
  });

  it('says a threshold change moves the leads now, and the CRM shows them in their new tier', async () => {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    // The names of the test above, Priority raised from 60 to 70: no option changes, only leads move.
    const res = await s.request('/admin/tiers', {
      form: { _csrf: csrf, name: ['Priority', 'Nurture', 'Park'], mode: ['score', 'score', 'score'], min: ['70', '15', '0'], perDay: ['', '', ''] },
    });
    expect(res.status).toBe(303);
    const page = await (await s.request('/admin')).text();
    expect(page).toContain('Tiers saved. HubSpot: the field “Lead priority tier (leadlift)” already offered these tier names, so it needed no change. Its leads are being rescored into the new tiers now.');
    await fx.deps.loop.idle();
    const between = await fx.hubspot.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: 'leadlift_score', operator: FilterOperatorEnum.Gte, value: '60' }, { propertyName: 'leadlift_score', operator: FilterOperatorEnum.Lt, value: '70' }] }],
      properties: ['leadlift_score', 'leadlift_tier'],
      limit: 100,
    });
    expect(between.results.length).toBeGreaterThan(0);
    expect(new Set(between.results.map((c) => c.properties.leadlift_tier))).toEqual(new Set(['Nurture']));
  });
});

describe('model page', () => {
  it('shows the active model with its evaluation, curves, excluded fields and all models', async () => {
    const s = new Session(fx.url);
    await s.login();
    const html = await (await s.request('/admin/model')).text();
    const active = (await fx.store.models.active('hubspot'))!;
    expect(html).toContain(active.version);
    expect(html).toContain(`id="kpi-auc">${(active.metrics.auc as number).toFixed(3)}`);
    expect(html).toContain('id="roc-chart"');
    expect(html).toContain('id="calibration-chart"');
    const curves = JSON.parse(/<script type="application\/json" id="model-curves">(.*?)<\/script>/s.exec(html)![1]);
    expect(curves.roc.length).toBeGreaterThan(5);
    expect(curves.calibration.length).toBeGreaterThan(1);
    expect(html).toContain('<code>lifecyclestage</code>'); // filled in after the outcome: never an input, and the page says why
    expect(html).toContain('src="/static/chart.umd.js"');
  });

  it('says on the AUC and lift cards what the numbers mean and what chance would score', async () => {
    const s = new Session(fx.url);
    await s.login();
    const html = await (await s.request('/admin/model')).text();
    const text = (id: string) => new RegExp(`id="${id}">(.*?)</span>`, 's').exec(html)?.[1] ?? '';
    const auc = text('kpi-auc-meaning');
    expect(auc).toContain('how often a converter scores above a lead that did not convert: 0.5 is a coin toss, 1 is perfect');
    // The baseline reads as a comparison, not as a second AUC in nested parentheses.
    expect(auc).toMatch(/; a simple baseline, .+, scored \d\.\d{3}$/);
    expect(auc).not.toMatch(/\)\)/);
    const lift = (await fx.store.models.active('hubspot'))!.metrics.liftTopDecile as number;
    expect(text('kpi-lift-meaning')).toBe(`the best-scored tenth of measured leads converted ${lift.toFixed(2)}× as often as the measured leads overall; 1× is no better than calling at random`);
  });

  it('retrains in the background and rolls back to the previous model, audited', async () => {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin/model');
    const before = (await fx.store.models.active('hubspot'))!.version;
    const res = await s.request('/admin/model/retrain', { form: { _csrf: csrf, crm: 'hubspot' } });
    expect(res.status).toBe(303);
    await fx.deps.loop.idle();
    const activity = (await (await s.request('/admin/model/activity.json?crm=hubspot')).json()) as { state: string; task: string };
    expect(activity).toMatchObject({ task: 'retrain', state: 'done' });
    const models = await fx.store.models.list('hubspot');
    expect(models.length).toBe(2);
    // Make the new model the active one whatever the comparison decided, then roll back to the first.
    const newest = models.find((m) => m.version !== before)!;
    await fx.store.models.promote('hubspot', newest.version);
    const back = await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: before, confirm: before } });
    expect(back.status).toBe(303);
    expect((await fx.store.models.active('hubspot'))!.version).toBe(before);
    const [audit] = await fx.store.audit.list({ key: 'model.hubspot.active' });
    expect(audit).toMatchObject({ actor: ADMIN.user, before: newest.version, after: before });
    const refused = await s.request('/admin/model/rollback', { form: { _csrf: csrf, crm: 'hubspot', version: 'no-such-model' } });
    expect(refused.status).toBe(303);
    expect(await (await s.request('/admin/model')).text()).toContain('There is no hubspot model');
  });
});

describe('health and metrics', () => {
  it('answers /healthz, and /readyz with the store and the model to a logged-in admin (a probe gets the status only)', async () => {
    expect(await (await fetch(`${fx.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${fx.url}/readyz`)).json()).toEqual({ ready: true });
    const admin = new Session(fx.url);
    await admin.login();
    const ready = (await (await admin.request('/readyz')).json()) as { status: string; store: string; models: Record<string, unknown> };
    expect(ready.status).toBe('ready');
    expect(ready.store).toBe('sqlite');
    expect(ready.models.hubspot).toMatchObject({ version: expect.any(String), auc: expect.any(Number) });
    expect(ready.models.salesforce).toBeNull();
  });

  it('exposes runs, leads scored, API calls and 429s per CRM and the model AUC to Prometheus', async () => {
    const text = await (await fetch(`${fx.url}/metrics`)).text();
    expect(text).toMatch(/leadlift_runs\{kind="cycle",crm="hubspot",status="ok"\} [1-9]/);
    expect(text).toMatch(new RegExp(`leadlift_leads_scored\\{crm="hubspot"\\} ${fx.firstCycle.score.scored}`));
    expect(text).toMatch(/# TYPE leadlift_crm_api_calls_total counter\n/);
    expect(text).toMatch(/leadlift_crm_api_calls_total\{crm="hubspot"\} [1-9]\d*/);
    expect(text).toMatch(/# TYPE leadlift_crm_rate_limited_total counter\n/);
    expect(text).toMatch(/leadlift_crm_rate_limited_total\{crm="hubspot"\} \d+/);
    const [cycle] = (await fx.store.db.selectFrom('runs').select('finished_at').where('kind', '=', 'cycle').where('status', '=', 'ok').orderBy('finished_at', 'desc').limit(1).execute());
    expect(text).toMatch(/# TYPE leadlift_last_successful_cycle_timestamp_seconds gauge\n/);
    expect(text).toContain(`leadlift_last_successful_cycle_timestamp_seconds{crm="hubspot"} ${Date.parse(cycle.finished_at!) / 1000}`);
    const active = (await fx.store.models.active('hubspot'))!;
    expect(text).toContain(`leadlift_model_auc{crm="hubspot",version="${active.version}"} ${active.metrics.auc}`);
  });

  it('names the process metrics as Prometheus defaults (process_*, nodejs_*), with no leadlift prefix stuck in front', async () => {
    const text = await (await fetch(`${fx.url}/metrics`)).text();
    const names = new Set([...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]));
    expect(names).toContain('process_cpu_user_seconds_total');
    expect(names).toContain('process_resident_memory_bytes');
    expect(names).toContain('nodejs_eventloop_lag_seconds');
    expect(names).toContain('nodejs_heap_size_used_bytes');
    expect([...names].filter((n) => n.startsWith('leadlift_process_'))).toEqual([]);
    // The app's own metrics keep their names.
    expect(names).toContain('leadlift_runs');
  });
});

describe('HubSpot install (OAuth against the sandbox)', () => {
  it('redirects to the authorize URL with the manifest scopes and a state, then exchanges the code and stores the tokens encrypted', async () => {
    const s = new Session(fx.url);
    await s.login();
    const start = await s.request('/install/hubspot/start');
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(fx.sandbox.url);
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('scope')).toBe('oauth crm.objects.contacts.read crm.objects.contacts.write crm.objects.deals.read crm.schemas.contacts.read crm.schemas.contacts.write');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${fx.url}/install/hubspot/callback`);
    const state = authorize.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(40);

    // The sandbox consents at once and sends the browser back with a code.
    const consent = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    expect(callback.searchParams.get('state')).toBe(state);

    // A forged state is refused and spends nothing.
    const forged = await s.request(`/install/hubspot/callback?code=${callback.searchParams.get('code')}&state=forged`);
    expect(forged.status).toBe(400);

    const done = await s.request(callback.pathname + callback.search);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/install');
    const tokens = await fx.store.tokens.load('hubspot');
    expect(tokens?.accessToken).toMatch(/^access-/);
    const row = await fx.store.db.selectFrom('oauth_tokens').select('ciphertext').where('crm', '=', 'hubspot').executeTakeFirstOrThrow();
    expect(row.ciphertext).not.toContain(tokens!.accessToken as string);
    expect(row.ciphertext).not.toContain(tokens!.refreshToken as string);

    // The same state cannot be used twice.
    expect((await s.request(callback.pathname + callback.search)).status).toBe(400);

    await fx.deps.loop.idle();
    const status = (await (await s.request('/install/status.json')).json()) as { hubspot: { task: string; state: string; message: string; text: string } };
    expect(status.hubspot).toMatchObject({ task: 'install', state: 'done' });
    // The status in the server's words (the model page's), which install.js shows for a rescore or cycle.
    expect(status.hubspot.text).toMatch(/^Finished \d{4}-\d\d-\d\d \d\d:\d\d UTC: /);
    expect(status.hubspot.text).toContain(status.hubspot.message);
    const page = await (await s.request('/install')).text();
    expect(page).toContain('connected');
    expect(page).not.toContain(fx.app.clientSecret);
  });
});
