import { describe, expect, it } from 'vitest';
import { loopProgress } from '../../src/cli/loop-progress.js';
import { pipe } from './pipe-stream.js';

describe('loop progress off a terminal', () => {
  it('prints a line per step start and end and at most one every ten seconds in between, with done/total and a rate', () => {
    const out = pipe();
    let ms = 0;
    const bars = loopProgress('', { stream: out.stream, now: () => ms });

    bars.listener('sync', 0, null);
    for (let i = 1; i <= 50; i++) {
      ms += 500; // 25 s of pages, one every half second
      bars.listener('sync', i * 100, null);
    }
    bars.listener('score', 0, 4000);
    ms += 2000;
    bars.listener('score', 4000, 4000);
    bars.done();

    expect(out.lines).toEqual([
      'Syncing leads and outcomes: started',
      'Syncing leads and outcomes: 2,000 so far (200/s)',
      'Syncing leads and outcomes: 4,000 so far (200/s)',
      'Syncing leads and outcomes: finished, 5,000 in 25.0 s (200/s)',
      'Scoring leads: started (4,000 to do)',
      'Scoring leads: finished, 4,000 in 2.0 s (2,000/s)',
    ]);
    // Whole lines only: no carriage-return bar redraws in a log.
    expect(out.unfinished()).toBe('');
    expect(out.lines.join('\n')).not.toContain('\r');
  });

  it('ends a step once, however often it is closed', () => {
    const out = pipe();
    const bars = loopProgress('hubspot: ', { stream: out.stream, now: () => 0 });
    bars.listener('push', 0, 10);
    bars.listener('push', 10, 10);
    bars.done();
    bars.done();
    expect(out.lines).toEqual(['hubspot: Writing scores: started (10 to do)', 'hubspot: Writing scores: finished, 10 in 0.0 s (n/a)']);
  });

  it('gives a one-piece step its time only', () => {
    const out = pipe();
    let ms = 0;
    const bars = loopProgress('', { stream: out.stream, now: () => ms });
    bars.listener('train', 0, 1);
    ms += 1500;
    bars.listener('train', 1, 1);
    bars.done();
    expect(out.lines).toEqual(['Training model: started', 'Training model: finished in 1.5 s']);
  });

  it('says what the train step counts: trees, which its label does not name', () => {
    const out = pipe();
    let ms = 0;
    const bars = loopProgress('', { stream: out.stream, now: () => ms, heartbeatEveryMs: 1000 });
    bars.listener('train', 0, 400);
    ms += 2000;
    bars.listener('train', 200, 400);
    bars.listener('train', 400, 400);
    bars.listener('score', 0, 10);
    bars.listener('score', 10, 10);
    bars.done();
    expect(out.lines).toEqual([
      'Training model: started (400 trees to do)',
      'Training model: 200/400 trees (100/s)',
      'Training model: finished, 400 trees in 2.0 s (200/s)',
      'Scoring leads: started (10 to do)',
      'Scoring leads: finished, 10 in 0.0 s (n/a)',
    ]);
  });

  it('writes a note during a step without ending the step', () => {
    const out = pipe();
    const bars = loopProgress('', { stream: out.stream, now: () => 0 });
    bars.listener('sync', 0, null);
    bars.note('salesforce: 3 leads closed by Status are dated by their Status change in LeadHistory.');
    bars.listener('sync', 40, null);
    bars.done();
    bars.note('between steps');
    expect(out.lines).toEqual([
      'Syncing leads and outcomes: started',
      'salesforce: 3 leads closed by Status are dated by their Status change in LeadHistory.',
      'Syncing leads and outcomes: finished, 40 in 0.0 s (n/a)',
      'between steps',
    ]);
  });

  it('shows no progress when quiet, but still the messages', () => {
    const out = pipe();
    const bars = loopProgress('', { stream: out.stream, now: () => 0, quiet: true });
    bars.listener('sync', 5, null);
    bars.note('a message is not progress');
    bars.done();
    expect(out.lines).toEqual(['a message is not progress']);
  });
});
