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
  const major = drift.columns.filter((c) => c.reading === 'major').length;
  return html`<section class="card" id="input-drift">
  <h2>Input drift</h2>
  <p class="muted small">How far the newest ${drift.openLeads.toLocaleString('en-US')} open leads have moved from the leads model <code>${drift.modelVersion}</code> learnt from, per field (Population Stability Index): below 0.1 stable, 0.1–0.25 moderate shift, above 0.25 major shift. The trees cannot extrapolate: a value outside the training range is scored as if it were at its edge.</p>
  ${drift.openLeads === 0
    ? html`<p class="muted">No open leads to compare yet.</p>`
    : html`${major > 0 ? html`<p class="drift-alert" role="status"><strong>${major === 1 ? '1 field has' : `${major} fields have`} shifted majorly:</strong> retrain or check the data source.</p>` : ''}
  ${shown.length > 0
    ? html`<div class="table-scroll"><table class="data" id="input-drift-table"><thead><tr><th scope="col">Field</th><th scope="col" class="num">PSI</th><th scope="col">Reading</th><th scope="col" class="num">Outside training range</th></tr></thead><tbody>${shown.map(
        (c) => html`<tr data-column="${c.column}"><th scope="row">${c.label} <code>${c.column}</code></th><td class="num">${c.psi.toFixed(3)}</td><td><span class="pill ${c.reading}">${READING_TEXT[c.reading]}</span></td><td class="num">${c.outsideRange === null ? '–' : percent(c.outsideRange)}</td></tr>`,
      )}</tbody></table></div>`
    : ''}
  <p class="muted small">${shown.length < drift.columns.length ? `The ${shown.length} largest shifts of ` : ''}${fieldCount(drift.columns.length)} compared${drift.categoricalWithoutShares > 0 ? html`; ${fieldCount(drift.categoricalWithoutShares)} with categories not compared, as this model was trained before category shares were kept (retrain to include them)` : ''}${drift.notCompared.length > 0 ? `; dates and yes/no fields are not (${drift.notCompared.join(', ')})` : ''}. Outside training range: open leads below the lowest or above the highest value the model trained on.</p>`}
</section>`;
}

function fieldCount(n: number): string {
  return n === 1 ? '1 field' : `${n} fields`;
}
