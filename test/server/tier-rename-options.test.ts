import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETIRING_STREAM } from '../../src/jobs/retiring-tier-options.js';
import type { Connector } from '../../connectors/types.js';
import { capturedLog, ERROR } from './captured-log.js';
import { ADMIN, Session, startServerFixture, type ServerFixture } from './server-fixture.js';

let fx: ServerFixture;
beforeAll(async () => {
  fx = await startServerFixture();
});
afterAll(async () => {
  await fx?.close();
});

const tierOptions = async () => (await fx.hubspot.crm.properties.coreApi.getByName('contacts', 'leadlift_tier')).options.map((o) => o.value);

/** Every contact's tier value as the CRM holds it now, through the SDK's paging. */
async function heldTiers(): Promise<Map<string, number>> {
  const held = new Map<string, number>();
  let after: string | undefined;
  do {
    const page = await fx.hubspot.crm.contacts.basicApi.getPage(100, after, ['leadlift_tier']);
    for (const c of page.results) {
      const tier = c.properties.leadlift_tier;
      if (tier) held.set(tier, (held.get(tier) ?? 0) + 1);
    }
    after = page.paging?.next?.after;
  } while (after);
  return held;
}

/** Options first, then values: a correct removal only follows the last rewrite, so a value read after its option went is a gap. */
async function gaps(): Promise<string[]> {
  const options = new Set(await tierOptions());
  return [...(await heldTiers()).keys()].filter((t) => !options.has(t));
}

describe('renaming a tier on the admin page', () => {
  it('adds the new option first, keeps the old one while leads hold it, and removes it once the rescore rewrote them', async () => {
    expect((await heldTiers()).get('Hot')).toBeGreaterThan(0);
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    const res = await s.request('/admin/tiers', {
      form: { _csrf: csrf, name: ['A-list', 'Warm', 'Cool', 'Cold'], mode: ['score', 'score', 'score', 'score'], min: ['80', '50', '20', '0'], perDay: ['', '', '', ''] },
    });
    expect(res.status).toBe(303);
    expect(await tierOptions()).toEqual(['A-list', 'Warm', 'Cool', 'Cold', 'Hot']);
    expect(await fx.store.checkpoints.get('hubspot', RETIRING_STREAM)).toEqual({ options: ['Hot'] });
    const page = await (await s.request('/admin')).text();
    expect(page).toContain('HubSpot: the field “Lead priority tier (leadlift)” now offers these tier names. Its leads are being rescored into the new tiers now. Added &quot;A-list&quot;. &quot;Hot&quot; will be removed once the rescore has rewritten the leads that hold it.');
    expect(page).toContain('views, lists, reports and workflows that filter on the old name must be updated');

    // While the rescore rewrites the leads, every value a lead holds is still an option.
    let done = false;
    const idle = fx.deps.loop.idle().then(() => (done = true));
    while (!done) expect(await gaps()).toEqual([]);
    await idle;

    const held = await heldTiers();
    expect(held.has('Hot')).toBe(false);
    expect(held.get('A-list')).toBeGreaterThan(0);
    expect(await tierOptions()).toEqual(['A-list', 'Warm', 'Cool', 'Cold']);
    expect(await fx.store.checkpoints.get('hubspot', RETIRING_STREAM)).toBeNull();
  });
});

describe('a tier save whose options the CRM did not take', () => {
  /** Saves `names` (score tiers 80/50/20/0) and returns the notice the page shows after the redirect. */
  async function save(names: string[]): Promise<string> {
    const s = new Session(fx.url);
    await s.login();
    const csrf = await s.csrf('/admin');
    const res = await s.request('/admin/tiers', { form: { _csrf: csrf, name: names, mode: ['score', 'score', 'score', 'score'], min: ['80', '50', '20', '0'], perDay: ['', '', '', ''] } });
    expect(res.status).toBe(303);
    const page = await (await s.request('/admin')).text();
    return /<p class="notice" role="status">(.*?)<\/p>/s.exec(page)![1].replace(/&#39;/g, "'");
  }

  it("shows a CRM refusal in leadlift's words for the admin: what to do, and that the next sync tries again", async () => {
    fx.sandbox.ctx.faults.push({ id: 'properties-401', pathPattern: '^/crm/v3/properties/', kind: 'server-error', status: 401 });
    try {
      const notice = await save(['B-list', 'Warm', 'Cool', 'Cold']);
      expect(notice).toMatch(/^Tiers saved\. HubSpot: the tier names could not be written to the field “Lead priority tier \(leadlift\)”\. HubSpot rejected the access token while .* \(401\)\. To reconnect leadlift, .*\. The next sync tries again\.$/);
    } finally {
      fx.sandbox.ctx.faults.length = 0;
    }
  });

  it('shows an unexpected failure as a generic line, never its raw words, and logs those', async () => {
    const real = fx.deps.connections.get('hubspot')!;
    const leaky = 'request to https://api.example/crm/v3/properties?hapikey=pat-na1-0000-secret failed, reason: socket hang up';
    // Not one of leadlift's errors: what a library or the runtime throws, words not written for the page.
    // Configurable: connections.set wraps it in a Proxy (replaced-connector.ts), which may not hand out another value for a
    // fixed property. Its portal is said as the real one's: the real connection, set aside by this one, refuses every CRM call.
    const own = (value: unknown) => ({ value, configurable: true, writable: true });
    const failing: Connector = Object.create(real, { ensureSchema: own(async () => { throw new TypeError(leaky); }), accountId: own(async () => String(fx.app.portalId)) });
    const log = capturedLog();
    const logger = fx.deps.logger;
    fx.deps.connections.set(failing);
    fx.deps.logger = log.logger;
    try {
      const notice = await save(['C-list', 'Warm', 'Cool', 'Cold']);
      expect(notice).toBe('Tiers saved. HubSpot: the tier names could not be written to the field “Lead priority tier (leadlift)”. Something unexpected went wrong; the server log has the details. The next sync tries again.');
      expect(log.lines.find((l) => l.level === ERROR && l.msg === 'tier options not pushed')?.err).toBe(leaky);
    } finally {
      fx.deps.connections.set(real);
      fx.deps.logger = logger;
    }
  });
});
