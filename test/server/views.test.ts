import { describe, expect, it } from 'vitest';
import { html, jsonData, raw } from '../../src/server/views/html.js';
import { resolveTierRows, rowsFromBody } from '../../src/server/tier-form.js';
import { thresholdForCapacity, tierCounts, type ScoreDistribution } from '../../src/server/score-distribution.js';
import { tiersPage } from '../../src/server/views/tiers-page.js';
import { layout } from '../../src/server/views/layout.js';

const dist = (scores: number[], perDay: number | null = 10): ScoreDistribution => {
  const counts = new Array<number>(101).fill(0);
  for (const s of scores) counts[s]++;
  return { counts, total: scores.length, perDay, days: 28 };
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
    expect(result.rows[1].errors.perDay).toMatch(/more than 0/);
  });

  it('turns "top N a day" into the lowest score whose share of open leads fits N / new leads a day', () => {
    // 10 new leads a day; 4 a day = 40% of leads: scores 90, 80, 70, 60 of these ten.
    const d = dist([90, 80, 70, 60, 50, 40, 30, 20, 10, 0], 10);
    expect(thresholdForCapacity(d, 4)).toEqual({ min: 60, share: 0.4 });
    expect(thresholdForCapacity(d, 100)).toEqual({ min: 0, share: 1 });
    expect(thresholdForCapacity(dist([50, 50, 50], 10), 1)).toEqual({ min: 51, share: 0.1 });
    expect(thresholdForCapacity(dist([1], null), 1)).toBeNull();
    expect(tierCounts(d, [{ name: 'A', min: 60 }, { name: 'B', min: 0 }]).map((t) => t.leads)).toEqual([4, 6]);
  });
});

describe('tier page wording', () => {
  const page = (scale: 'rank' | 'probability') =>
    tiersPage({ csrf: 'c', user: 'u', rows: [], preview: [], openLeads: 0, perDay: null, connected: [], formError: null, flash: null, history: [], scale }).value;

  it('says what a score means on the configured scale', () => {
    expect(page('rank')).toContain('standing among your open leads: 80 means it outranks 80% of them');
    expect(page('rank')).not.toContain('converts about 80 times in 100');
    expect(page('probability')).toContain('a lead scoring 80 converts about 80 times in 100');
    expect(page('probability')).not.toContain('outranks');
  });
});
