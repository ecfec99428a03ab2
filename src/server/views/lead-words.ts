import type { PushStatus, StoredScore } from '../../store/scores.js';
import { html, type SafeHtml } from './html.js';
import { when } from './layout.js';

/** The trend as written to the CRM, with an arrow for the eye (hidden from screen readers, which read the word). */
export function trendText(trend: StoredScore['trend']): SafeHtml {
  const arrow = trend === 'up' ? '↑' : trend === 'down' ? '↓' : trend === 'steady' ? '→' : '';
  return html`${arrow ? html`<span aria-hidden="true">${arrow}</span> ` : ''}${trend}`;
}

const PUSH_WORDS: Record<PushStatus, string> = {
  pending: 'Waiting to be written',
  pushed: 'Written',
  failed: 'Refused by the CRM',
  unchanged: 'Not written: the CRM already shows these values',
};

/** Whether a score reached the CRM, in a manager's words. */
export function pushText(s: StoredScore): string {
  if (s.pushStatus === 'pushed') return s.pushedAt ? `Written ${when(s.pushedAt)}` : PUSH_WORDS.pushed;
  if (s.pushStatus === 'failed') return s.pushError ? `${PUSH_WORDS.failed}: ${s.pushError}` : PUSH_WORDS.failed;
  return PUSH_WORDS[s.pushStatus] ?? s.pushStatus;
}
