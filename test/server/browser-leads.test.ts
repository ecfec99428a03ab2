import { describe, expect, it } from 'vitest';
import { LEAD_OBJECT } from '../../src/jobs/deps.js';
import { LEADS_PER_PAGE } from '../../src/server/routes/admin-leads.js';
import { useBrowserFixture } from './browser-fixture.js';
import { Session, ADMIN } from './server-fixture.js';

/**
 * The Leads pages in a real chromium, on the store a real cycle against the sandbox filled: the
 * list a manager filters and pages, one lead's history after a rescore, a forgotten lead, a 404.
 */
const browser = useBrowserFixture({ signIn: true });

describe('the Leads pages', () => {
  it('lists the open leads best first, filters a tier, and opens a lead whose history holds both scores after a rescore', async () => {
    const [page, fx] = [browser.page(), browser.fx()];
    const [best] = await fx.store.openLeads.page('hubspot', {}, { limit: 1, offset: 0 });
    const tier = best.tier;
    // A change the model reads: the rescore stores a second score for this lead.
    await fx.hubspot.crm.contacts.basicApi.update(best.leadId, { properties: { age: '97', job: 'student', marital: 'single' } });
    expect(await fx.deps.loop.rescore('hubspot')).not.toBeNull();
    const history = await fx.store.scores.history('hubspot', best.leadId);
    expect(history).toHaveLength(2);

    await page.goto(`${fx.url}/admin`);
    await page.click('nav[aria-label="Main"] >> text=Leads');
    await page.waitForURL(`${fx.url}/admin/leads`);
    const scores = await page.locator('#leads tbody tr td:nth-child(2)').allTextContents();
    expect(scores.length).toBe(Math.min(LEADS_PER_PAGE, await fx.store.openLeads.count('hubspot', {})));
    expect(scores.map(Number)).toEqual([...scores.map(Number)].sort((a, b) => b - a));

    const rescoredTier = history[0].tier;
    await page.selectOption('select[name="tier"]', rescoredTier);
    await Promise.all([page.waitForURL(/tier=/), page.click('button:has-text("Show")')]);
    const tiers = await page.locator('#leads tbody tr td:nth-child(3)').allTextContents();
    expect(tiers.length).toBeGreaterThan(0);
    expect(new Set(tiers)).toEqual(new Set([rescoredTier]));
    expect(await page.textContent('#leads-count')).toContain(`of ${(await fx.store.openLeads.count('hubspot', { tier: rescoredTier })).toLocaleString('en-US')} open lead`);

    await page.fill('input[name="q"]', best.leadId);
    await Promise.all([page.waitForURL(/q=/), page.click('button:has-text("Show")')]);
    expect(await page.locator('#leads tbody tr').count()).toBe(1);
    await Promise.all([page.waitForURL(`${fx.url}/admin/leads/hubspot/${best.leadId}`), page.click(`#leads a:has-text("${best.leadId}")`)]);

    const rows = page.locator('#history tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td:nth-child(2)').textContent()).toBe(String(history[0].score));
    expect(await rows.nth(1).locator('td:nth-child(2)').textContent()).toBe(String(history[1].score));
    expect(await page.textContent('#lead-reasons')).toBe(history[0].reasons);
    expect(await page.textContent('#lead-state')).toContain('Open');
    expect(tier).toBe(history[1].tier);
    // The chart drew (chart.js sizes the canvas) and the inputs carry the reasons' labels, the changed value among them.
    await expect.poll(() => page.locator('#lead-history-chart').evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(0);
    const inputs = await page.locator('#inputs tbody tr').allTextContents();
    expect(inputs.some((r) => r.startsWith('Age') && r.includes('97'))).toBe(true);
    // The sandbox is no real HubSpot: no link to app.hubspot.com.
    expect(await page.locator('a:has-text("Open in HubSpot")').count()).toBe(0);
  });

  it('pages through the open leads 50 at a time without repeating one', async () => {
    const [page, fx] = [browser.page(), browser.fx()];
    const total = await fx.store.openLeads.count('hubspot', {});
    expect(total).toBeGreaterThan(LEADS_PER_PAGE);
    await page.goto(`${fx.url}/admin/leads?crm=hubspot`);
    const first = await page.locator('#leads tbody th a').allTextContents();
    await Promise.all([page.waitForURL(/page=2/), page.click('a[rel="next"]')]);
    const second = await page.locator('#leads tbody th a').allTextContents();
    expect(second.length).toBe(Math.min(LEADS_PER_PAGE, total - LEADS_PER_PAGE));
    expect(second.filter((id) => first.includes(id))).toEqual([]);
    expect(await page.textContent('#leads-count')).toBe(`51–${50 + second.length} of ${total.toLocaleString('en-US')} open leads.`);
    expect(await page.textContent('.pager')).toContain(`Page 2 of ${Math.ceil(total / LEADS_PER_PAGE).toLocaleString('en-US')}`);
  });

  it('shows a forgotten lead as forgotten and nothing else', async () => {
    const [page, fx] = [browser.page(), browser.fx()];
    const [lead] = await fx.store.openLeads.page('hubspot', {}, { limit: 1, offset: 5 });
    await fx.store.forget('hubspot', [lead.leadId], { actor: ADMIN.user });
    await page.goto(`${fx.url}/admin/leads/hubspot/${lead.leadId}`);
    expect(await page.textContent('#forgotten')).toContain('This lead was forgotten');
    for (const id of ['#lead-current', '#lead-history', '#lead-inputs', '#lead-reasons']) expect(await page.locator(id).count()).toBe(0);
    expect(await page.content()).not.toContain(lead.reasons.split('\n')[0]);
    // Searched for, it is no open lead, but the page says where to look.
    await page.goto(`${fx.url}/admin/leads?crm=hubspot&q=${lead.leadId}`);
    expect(await page.textContent('#leads-count')).toBe(`No open lead has the id ${lead.leadId}.`);
    expect(await page.locator(`a[href="/admin/leads/hubspot/${lead.leadId}"]`).count()).toBe(1);
  });

  it('answers an unknown id with a 404 page, and asks for a login first', async () => {
    const [page, fx] = [browser.page(), browser.fx()];
    const res = await page.goto(`${fx.url}/admin/leads/hubspot/no-such-lead-1`);
    expect(res?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Not found');
    expect(await page.textContent('main')).toContain('leadlift has no lead no-such-lead-1 in HubSpot');
    expect((await page.goto(`${fx.url}/admin/leads/pipedrive/1`))?.status()).toBe(404);
    const anonymous = await new Session(fx.url).request('/admin/leads');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/\/login/);
    expect(await fx.store.records.get('hubspot', LEAD_OBJECT, 'no-such-lead-1')).toBeNull();
  });
});
