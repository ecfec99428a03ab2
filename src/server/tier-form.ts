import { z } from 'zod';
import { issueWords } from '../config/issue-words.js';
import { keyPath } from '../config/key-path.js';
import { closestKey } from '../config/known-keys.js';
import { isCapacityTier, tiersSchema, type Tier } from '../config/tiers.js';
import { tierCounts, type ScoreDistribution } from './score-distribution.js';

/**
 * The tier editor's rows: each tier has a name and either a minimum score or a capacity ("top N
 * leads a day", stored as such and re-cut at every scoring cycle). Rows are validated with the
 * config's own tier rules, and every problem is attached to the field it is about.
 */
export interface TierRow {
  name: string;
  mode: 'score' | 'capacity';
  min: string;
  perDay: string;
  /** The minimum score this row resolves to over the current open leads (capacity rows: where the N best end). */
  resolvedMin: number | null;
  /** Open leads the row would hold now (null for the spare row or a row with errors). */
  preview: { leads: number; share: number } | null;
  errors: Partial<Record<'name' | 'min' | 'perDay', string>>;
}

export interface TierFormResult {
  rows: TierRow[];
  tiers: Tier[] | null;
  formError: string | null;
}

const text = z.union([z.string(), z.number()]).transform((v) => String(v).trim()).default('');
const rowInput = z.object({ name: text, mode: z.enum(['score', 'capacity']).default('score'), min: text, perDay: text }).strict();
type RowInput = z.infer<typeof rowInput>;
/** JSON from the preview script, or the form's parallel arrays (name=…&name=…). */
/** The most rows the form takes, blank ones included. */
export const MAX_TIER_ROWS = 12;
const jsonInput = z.object({ tiers: z.array(rowInput).max(MAX_TIER_ROWS, `at most ${MAX_TIER_ROWS} tiers`) }).strict();
const list = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const formInput = z.object({ name: list, mode: list, min: list, perDay: list }).passthrough();

export function rowsFromBody(body: unknown): { rows: RowInput[] } | { error: string } {
  const asJson = jsonInput.safeParse(body);
  if (asJson.success) return { rows: asJson.data.tiers };
  // A JSON tier list that does not fit is said as such: read as a form it held no rows, and the
  // caller heard "Tiers must list at least one tier." for a row with a misspelt key ("mn").
  if (typeof body === 'object' && body !== null && 'tiers' in body) return { error: jsonFault(asJson.error.issues[0]) };
  const asForm = formInput.safeParse(body);
  if (!asForm.success) return { error: 'The tier form was not understood; reload the page and try again.' };
  const f = asForm.data;
  const n = Math.max(f.name.length, f.mode.length, f.min.length, f.perDay.length);
  if (n > MAX_TIER_ROWS) return { error: `At most ${MAX_TIER_ROWS} tiers.` };
  const rows = [];
  const faults: string[] = [];
  for (let i = 0; i < n; i++) {
    const parsed = rowInput.safeParse({ name: f.name[i] ?? '', mode: f.mode[i] || 'score', min: f.min[i] ?? '', perDay: f.perDay[i] ?? '' });
    if (parsed.success) rows.push(parsed.data);
    else faults.push(...parsed.error.issues.map((issue) => `Tier row ${i + 1}: ${issue.message}`));
  }
  return faults.length > 0 ? { error: faults.join('; ') } : { rows };
}

/** The first fault of a JSON tier list, naming its row as the page numbers them and the key it most likely meant. */
function jsonFault(issue: z.ZodIssue): string {
  const [, index] = issue.path;
  if (issue.code === z.ZodIssueCode.unrecognized_keys && typeof index === 'number') {
    const fields = Object.keys(rowInput.shape);
    const meant = closestKey(fields, issue.keys[0]);
    return `Tier row ${index + 1}: "${issue.keys[0]}" is not a tier field${meant ? ` (did you mean "${meant}"?)` : ''}; a row takes ${fields.join(', ')}.`;
  }
  return `The tier list was not understood: ${keyPath(issue.path) || 'the body'} ${issueWords(issue)}.`;
}

export function resolveTierRows(input: RowInput[], dist: ScoreDistribution): TierFormResult {
  const rows: TierRow[] = input.map((r) => ({ ...r, resolvedMin: null, preview: null, errors: {} }));
  // A row left entirely blank is the editor's spare row, not a tier.
  const kept = rows.filter((r) => r.name !== '' || (r.mode === 'score' ? r.min !== '' : r.perDay !== ''));
  const tiers: Array<Record<string, unknown>> = [];
  const usable: Array<{ row: TierRow; tier: Tier }> = [];
  for (const row of kept) {
    let tier: Tier | null = null;
    if (row.mode === 'score') {
      const min = row.min === '' ? NaN : Number(row.min);
      if (!Number.isFinite(min)) row.errors.min = 'Enter a score from 0 to 100.';
      else tier = { name: row.name, min };
    } else {
      const perDay = row.perDay === '' ? NaN : Number(row.perDay);
      if (!Number.isInteger(perDay) || perDay < 1) row.errors.perDay = 'Enter how many leads a day reps can call back for this tier: a whole number, 1 or more.';
      else tier = { name: row.name, perDay };
    }
    // A placeholder of the row's own kind, so the list rules still judge its name and place.
    tiers.push(tier ?? (row.mode === 'score' ? { name: row.name, min: NaN } : { name: row.name, perDay: NaN }));
    if (tier && row.name !== '') usable.push({ row, tier });
  }
  // The preview follows every complete row, even while others still need fixing.
  tierCounts(dist, usable.map((u) => u.tier)).forEach((count, k) => {
    const { row } = usable[k];
    row.preview = { leads: count.leads, share: count.share };
    row.resolvedMin = row.mode === 'capacity' ? count.min : Number(row.min);
  });

  // Every fault at once (the schema reports them all), so a form is not refused one fault per save.
  const parsed = tiersSchema.safeParse(tiers);
  if (parsed.success) return { rows, tiers: parsed.data, formError: null };
  const formErrors = new Set<string>();
  for (const issue of parsed.error.issues) {
    const [index, field] = issue.path as [number | undefined, string | undefined];
    const row = index === undefined ? undefined : kept[index];
    if (!row || (field !== 'name' && field !== 'min' && field !== 'perDay')) {
      formErrors.add(`Tiers ${issue.message}.`);
      continue;
    }
    // The placeholder's "expected number": the row's own "Enter a score…" already says it better.
    if (issue.code === z.ZodIssueCode.invalid_type && row.errors[field] !== undefined) continue;
    const message = sentence(issue.message, (k) => rows.indexOf(kept[k]) + 1);
    row.errors[field] = row.errors[field] === undefined ? message : `${row.errors[field]} ${message}`;
  }
  // A faulty row is no tier yet: "0, 0.0%" beside "must be below tier 1's minimum" read as a
  // count the tier would hold. The other rows keep theirs, counted with it in place as typed.
  for (const row of rows) if (Object.keys(row.errors).length > 0) row.preview = null;
  return { rows, tiers: null, formError: formErrors.size > 0 ? [...formErrors].join(' ') : null };
}

/** One fault of the form, for the summary above it: the field's id, its label, the message beside it. */
export interface TierProblem {
  id: string;
  label: string;
  message: string;
}

const FIELD_LABELS = { name: 'name', min: 'minimum score', perDay: 'leads a day' } as const;

/** Every row's faults in page order, each naming its row as the page numbers them ("Tier 2 name"). */
export function tierProblems(rows: readonly TierRow[]): TierProblem[] {
  return rows.flatMap((row, i) =>
    (Object.keys(FIELD_LABELS) as Array<keyof typeof FIELD_LABELS>).flatMap((field) => {
      const message = row.errors[field];
      return message === undefined ? [] : [{ id: `tier-${i}-${field}`, label: `Tier ${i + 1} ${FIELD_LABELS[field]}`, message }];
    }),
  );
}

/**
 * The schema names tiers by their 0-based key path (`tiers[1].min`), right for a config file; the
 * page numbers its rows from 1 and counts blank rows too, so each reference becomes that row's number.
 */
function sentence(message: string, pageNumber: (keptIndex: number) => number): string {
  const m = message
    .replace(/tiers\[(\d+)\]\.min/g, (_, i) => `tier ${pageNumber(Number(i))}'s minimum`)
    .replace(/tiers\[(\d+)\]/g, (_, i) => `tier ${pageNumber(Number(i))}`);
  return m[0].toUpperCase() + m.slice(1) + (m.endsWith('.') ? '' : '.');
}

/**
 * Blank rows under the saved tiers. Each save rewrites every lead's tier in the CRM, so several
 * tiers must go in at once: without JavaScript these spare rows allow it, with it the page's
 * "Add a tier" button adds more.
 */
export const SPARE_TIER_ROWS = 2;

/** Rows for the editor from saved tiers, each with the rule it was saved with, plus spare rows for new tiers. */
export function rowsForTiers(tiers: readonly Tier[], dist: ScoreDistribution): TierRow[] {
  const input = tiers.map((t): RowInput =>
    isCapacityTier(t) ? { name: t.name, mode: 'capacity', min: '', perDay: String(t.perDay) } : { name: t.name, mode: 'score', min: String(t.min), perDay: '' },
  );
  const spare = Math.max(0, Math.min(SPARE_TIER_ROWS, MAX_TIER_ROWS - input.length));
  return [...resolveTierRows(input, dist).rows, ...Array.from({ length: spare }, (): TierRow => ({ name: '', mode: 'score', min: '', perDay: '', resolvedMin: null, preview: null, errors: {} }))];
}
