import type { InputDrift } from '../input-drift.js';
import type { StabilityReading } from '../../model/evaluation/population-stability.js';
import { html, type SafeHtml } from './html.js';
import { percent } from './layout.js';

/** Enough to name what moved; the rest are summarised by the count. */
const SHOWN_COLUMNS = 10;

const READING_TEXT: Record<StabilityReading, string> = {
  stable: 'stable',
  moderate: 'moderate shift',
  major: 'major shift',
};

/** The model page's "Input drift" card: do today's open leads still look like the training leads? */
export function inputDriftCard(drift: InputDrift | null | undefined): SafeHtml {
  if (!drift) return html``;
  const shown = drift.columns.slice(0, SHOWN_COLUMNS);
  return html`<section class="card" id="input-drift">
  <h2>Input drift</h2>
  ${drift.openLeads === 0
    ? html`<p class="muted">No open leads to compare with the leads model <code>${drift.modelVersion}</code> learnt from yet.</p>`
    : html`${plainLine(drift.columns)}
  ${shown.length > 0
    ? html`<p class="scroll-hint small" aria-hidden="true">Scroll the table sideways for more columns.</p><div class="table-scroll" tabindex="0" role="region" aria-label="Input drift by field, scrolls sideways"><table class="data" id="input-drift-table"><thead><tr><th scope="col">Field</th><th scope="col" class="num">PSI</th><th scope="col">Reading</th><th scope="col" class="num">Outside training range</th></tr></thead><tbody>${shown.map(
        (c) => html`<tr data-column="${c.column}"><th scope="row">${c.label} <code>${c.column}</code></th><td class="num">${c.psi.toFixed(3)}</td><td><span class="pill ${c.reading}">${READING_TEXT[c.reading]}</span></td><td class="num">${c.outsideRange === null ? '–' : percent(c.outsideRange)}</td></tr>`,
      )}</tbody></table></div>`
    : ''}
  <p class="muted small" id="input-drift-method">How it is measured: the newest ${drift.openLeads.toLocaleString('en-US')} open leads against the leads model <code>${drift.modelVersion}</code> learnt from, field by field, by the Population Stability Index (PSI): below 0.1 stable, 0.1–0.25 moderate shift, above 0.25 major shift. ${shown.length < drift.columns.length ? `The ${shown.length} largest shifts of ` : ''}${fieldCount(drift.columns.length)} compared${drift.categoricalWithoutShares > 0 ? html`; ${fieldCount(drift.categoricalWithoutShares)} with categories not compared, as this model was trained before category shares were kept (retrain to include them)` : ''}${drift.notCompared.length > 0 ? `; dates and yes/no fields are not (${drift.notCompared.join(', ')})` : ''}. Outside training range: open leads below the lowest or above the highest value the model trained on; the model cannot extrapolate and scores them as if they were at that edge.</p>`}
</section>`;
}

/**
 * The card's first line, for a sales manager: is anything to be done, and about which fields. The
 * PSI figures stay in the table and the method line for those who want them.
 */
function plainLine(columns: InputDrift['columns']): SafeHtml {
  const major = columns.filter((c) => c.reading === 'major');
  const moderate = columns.filter((c) => c.reading === 'moderate');
  if (major.length > 0) {
    return html`<p class="drift-alert" role="status" id="input-drift-summary"><strong>Today's open leads look very different from the leads the model learnt from in ${fieldCount(major.length)}: ${named(major)}.</strong> Its scores on these leads are less reliable than the figures above suggest: retrain or check the data source.</p>`;
  }
  if (moderate.length > 0) {
    return html`<p id="input-drift-summary">Today's open leads have changed somewhat in ${fieldCount(moderate.length)} (${named(moderate)}) since the model learnt. Worth watching; nothing to do yet.</p>`;
  }
  if (columns.length === 0) return html``;
  return html`<p id="input-drift-summary">Today's open leads look like the leads the model learnt from: no field has moved much.</p>`;
}

/** The first three fields by name, worst first, and how many more. */
function named(columns: InputDrift['columns']): string {
  const names = columns.slice(0, 3).map((c) => c.label).join(', ');
  return columns.length > 3 ? `${names} and ${columns.length - 3} more` : names;
}

function fieldCount(n: number): string {
  return n === 1 ? '1 field' : `${n} fields`;
}
