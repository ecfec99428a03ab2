import { describe, expect, it } from 'vitest';
import { fieldLabel, loadManifest } from '../../src/domain/manifest.js';
import { html, jsonData, raw } from '../../src/server/views/html.js';
import { resolveTierRows, rowsFromBody } from '../../src/server/tier-form.js';
import { tierCounts, type ScoreDistribution } from '../../src/server/score-distribution.js';
import { tiersPage } from '../../src/server/views/tiers-page.js';
import { installPage } from '../../src/server/views/install-page.js';
import { SALESFORCE_ON_THE_SANDBOX } from '../../src/server/routes/install.js';
import type { LoopActivity } from '../../src/server/loop-runner.js';
import { layout } from '../../src/server/views/layout.js';

const dist = (scores: number[], perDay: number | null = 10): ScoreDistribution => {
  const counts = new Array<number>(101).fill(0);
  for (const s of scores) counts[s]++;
  return { counts, byCrm: [counts], total: scores.length, perDay, days: 28 };
};

describe('HTML escaping', () => {
  it('escapes every interpolated value unless it is our own markup', () => {
    const name = '<script>alert("x")</script>';
    expect(html`<td>${name}</td>`.value).toBe('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>');
    expect(html`<a title='${"' onmouseover='x"}'>`.value).toBe("<a title='&#39; onmouseover=&#39;x'>");
    expect(html`<p>${[html`<b>${'a&b'}</b>`, null, false, 3]}</p>`.value).toBe('<p><b>a&amp;b</b>3</p>');
    expect(html`${raw('<br>')}`.value).toBe('<br>');
  });

  it('cannot be closed from inside a JSON data block', () => {
    const block = jsonData('d', { tier: '</script><script>alert(1)</script>' }).value;
    expect(block.match(/<\/script>/g)).toHaveLength(1);
    expect(JSON.parse(block.slice(block.indexOf('>') + 1, block.lastIndexOf('<')))).toEqual({ tier: '</script><script>alert(1)</script>' });
  });
});

describe('page frame', () => {
  it('carries its own icon inline, so no browser asks for a /favicon.ico the server does not have', () => {
    const page = layout({ title: 'T', csrf: 'c' }, html`<p>x</p>`).value;
    const href = /<link rel="icon" href="([^"]+)">/.exec(page)?.[1];
    expect(href).toMatch(/^data:image\/svg\+xml,/);
    expect(decodeURIComponent(href!.slice(href!.indexOf(',') + 1))).toMatch(/^<svg xmlns='http:\/\/www\.w3\.org\/2000\/svg'.*<\/svg>$/);
  });
});

describe('tier form', () => {
  it('reads the form as parallel arrays and drops the blank spare row', () => {
    const input = rowsFromBody({ _csrf: 'x', name: ['Hot', 'Cold', ''], mode: ['score', 'score', 'score'], min: ['70', '0', ''], perDay: ['', '', ''] });
    expect('rows' in input && input.rows.length).toBe(3);
    const result = resolveTierRows((input as { rows: never[] }).rows, dist([10, 80]));
    expect(result.tiers).toEqual([{ name: 'Hot', min: 70 }, { name: 'Cold', min: 0 }]);
  });

  it('puts each problem next to its field, capacity rows on the leads-a-day field', () => {
    const result = resolveTierRows(
      [
        { name: 'Hot', mode: 'score', min: 'abc', perDay: '' },
        { name: '', mode: 'capacity', min: '', perDay: '-2' },
        { name: 'Cold', mode: 'score', min: '0', perDay: '' },
      ],
      dist([10, 80]),
    );
    expect(result.tiers).toBeNull();
    expect(result.rows[0].errors.min).toBe('Enter a score from 0 to 100.');
    expect(result.rows[1].errors.perDay).toMatch(/whole number, 1 or more/);
  });

  it('keeps "top N a day" as a rule: the N best open leads below the higher tiers, resolved to the score where they end', () => {
    const d = dist([90, 80, 70, 70, 70, 60, 50, 40, 30, 0], 10);
    expect(tierCounts(d, [{ name: 'A', min: 85 }, { name: 'B', perDay: 3 }, { name: 'C', min: 0 }]).map((t) => [t.leads, t.min])).toEqual([[1, 85], [3, 70], [6, 0]]);
    const result = resolveTierRows(
      [
        { name: 'Call today', mode: 'capacity', min: '', perDay: '3' },
        { name: 'Later', mode: 'score', min: '0', perDay: '' },
      ],
      d,
    );
    expect(result.tiers).toEqual([{ name: 'Call today', perDay: 3 }, { name: 'Later', min: 0 }]);
    expect(result.rows[0]).toMatchObject({ resolvedMin: 70, preview: { leads: 3, share: 0.3 } });
    const half = resolveTierRows([{ name: 'Call today', mode: 'capacity', min: '', perDay: '2.5' }, { name: 'Later', mode: 'score', min: '0', perDay: '' }], d);
    expect(half.tiers).toBeNull();
    expect(half.rows[0].errors).toEqual({ perDay: expect.stringMatching(/leads a day .*whole number, 1 or more/) });
    const last = resolveTierRows([{ name: 'Hot', mode: 'score', min: '80', perDay: '' }, { name: 'Rest', mode: 'capacity', min: '', perDay: '5' }], d);
    expect(last.rows[1].errors.perDay).toMatch(/^The lowest tier must be a minimum score of 0/);
  });
});

describe('connections page', () => {
  const idle = { crm: 'hubspot', task: null, state: 'idle', step: null, done: 0, total: 0, message: '', startedAt: null, finishedAt: null } as const;
  const card = (over: { connected: boolean; sandbox: string | null }) =>
    installPage({
      csrf: 'c',
      user: 'u',
      flash: null,
      crms: [{ crm: 'hubspot', name: 'HubSpot', how: '', canInstall: true, missing: null, scopes: [], redirectUri: 'http://localhost:3000/install/hubspot/callback', activity: idle, blocked: 'Set LEADLIFT_SECRET_KEY.', ...over }],
    }).value;

  it('shows the missing key on a connected sandbox as a note, and in red only where it stops a real install', () => {
    expect(card({ connected: true, sandbox: 'http://127.0.0.1:4010' })).toContain('<p class="muted small blocked-note" id="hubspot-blocked">Set LEADLIFT_SECRET_KEY.</p>');
    expect(card({ connected: false, sandbox: null })).toContain('<p class="error small" id="hubspot-blocked">Set LEADLIFT_SECRET_KEY.</p>');
  });
});

describe('connections page: a rescore', () => {
  const base = { crm: 'hubspot', task: 'rescore', step: null, done: 0, total: 0, startedAt: '2026-12-01T19:02:00.000Z', finishedAt: null } as const;
  const card = (activity: LoopActivity) =>
    installPage({ csrf: 'c', user: 'u', flash: null, crms: [{ crm: 'hubspot', name: 'HubSpot', connected: true, how: '', canInstall: false, missing: null, scopes: [], redirectUri: '', activity }] }).value;
  const message = (page: string) => /<p class="small" data-message aria-live="polite">(.*?)<\/p>/s.exec(page)![1];

  it('shows a running rescore with its step and counts, not as an empty bar', () => {
    const page = card({ ...base, state: 'running', step: 'score', done: 40, total: 150, message: 'Scoring open leads…' });
    expect(page).not.toMatch(/<div class="progress"\s+hidden/);
    expect(message(page)).toBe('Rescoring: Scoring open leads… (40 of 150)');
    expect(page).toContain('aria-valuenow="27" aria-label="HubSpot progress"');
  });

  it("shows the last finished rescore's one-line result", () => {
    const page = card({ ...base, state: 'done', finishedAt: '2026-12-01T19:02:51.000Z', message: 'Rescored: 1 changed lead synced, 12 leads scored, 3 leads written to the CRM (0.8 s).' });
    expect(message(page)).toMatch(/^Finished .*: Rescored: 1 changed lead synced, 12 leads scored, 3 leads written to the CRM \(0\.8 s\)\.$/);
  });
});

describe('tier page wording', () => {
  const manifest = loadManifest();
  const labels = { hubspot: fieldLabel(manifest, 'hubspot', 'probability'), salesforce: fieldLabel(manifest, 'salesforce', 'probability') };
  const page = (scale: 'rank' | 'probability', probabilityLabels = labels) =>
    tiersPage({ csrf: 'c', user: 'u', rows: [], preview: [], openLeads: 0, perDay: null, perDayDays: 28, connected: [], formError: null, flash: null, history: [], scale, probabilityLabels }).value;

  it('says what a score means on the configured scale', () => {
    expect(page('rank')).toContain('standing among your open leads: 80 means it outranks 80% of them');
    expect(page('rank')).not.toContain('converts about 80 times in 100');
    expect(page('probability')).toContain('a lead scoring 80 converts about 80 times in 100');
    expect(page('probability')).not.toContain('outranks');
  });

  it('says over which days "New leads a day" is averaged', () => {
    const html = tiersPage({ csrf: 'c', user: 'u', rows: [], preview: [], openLeads: 10, perDay: 54.46, perDayDays: 28, connected: ['HubSpot'], formError: null, flash: null, history: [], scale: 'rank', probabilityLabels: labels }).value;
    expect(html).toContain('<dt>New leads a day</dt><dd>54.5</dd><dd class="note">average, last 28 days</dd>');
  });

  const points = (html: string) => [.../<ul class="muted intro-points" id="capacity-meaning">(.*?)<\/ul>/s.exec(html)![1].matchAll(/<li>(.*?)<\/li>/gs)].map((m) => m[1].replace(/<\/?b>/g, '').replace(/&#39;/g, "'"));

  it('says that a top-N tier breaks ties of score by the probability field reps can see', () => {
    const ties = points(page('rank')).find((t) => t.startsWith('Ties'))!;
    expect(ties).toContain('go to the higher conversion probability, the field written next to the score (HubSpot: Conversion probability (leadlift); Salesforce: Lead Score Probability)');
    expect(ties).toContain('with the same score, stay in the tier below');
  });

  it('names the probability fields as the manifest labels them', () => {
    expect(points(page('rank', { hubspot: 'Chance (renamed)', salesforce: 'Chance__c label' })).join(' ')).toContain('(HubSpot: Chance (renamed); Salesforce: Chance__c label)');
  });

  it('keeps the intro scannable: one short line, then one short point per rule, each led by its subject', () => {
    const html = page('probability');
    const intro = /<div class="page-head">\s*<div>\s*<h1>Priority tiers<\/h1>\s*<p class="muted">(.*?)<\/p>/s.exec(html)![1];
    const words = (t: string) => t.split(/\s+/).length;
    expect(words(intro)).toBeLessThanOrEqual(30);
    const rules = points(html);
    expect(rules.map((t) => t.split(' ')[0])).toEqual(['Top', 'Between', 'Ties']);
    for (const rule of rules) expect(words(rule), rule).toBeLessThanOrEqual(40);
  });
});

describe('connections page on the local sandbox: the Salesforce card', () => {
  it('gives the command that serves Salesforce against the same sandbox, after npm start or beside it', () => {
    expect(SALESFORCE_ON_THE_SANDBOX).toContain('stop this server (Ctrl-C)');
    expect(SALESFORCE_ON_THE_SANDBOX).toContain('LEADLIFT_ADMIN_USER=you LEADLIFT_ADMIN_PASSWORD=at-least-12-chars npx leadlift serve --crm salesforce');
    // Beside npm start: its own sandbox lock (LEADLIFT_HOME) and admin port, both of which npm start holds.
    expect(SALESFORCE_ON_THE_SANDBOX).toMatch(/LEADLIFT_HOME=\S+ PORT=\d+ .*npx leadlift serve --crm salesforce\.$/);
    expect(SALESFORCE_ON_THE_SANDBOX).not.toContain('SALESFORCE_ACCESS_TOKEN');
  });
});
