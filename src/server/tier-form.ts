import { z } from 'zod';
import { tiersSchema, type Tier } from '../config/tiers.js';
import { thresholdForCapacity, type ScoreDistribution } from './score-distribution.js';

/**
 * The tier editor's rows: each tier has a name and either a minimum score or a capacity ("top N
 * leads a day", turned into a minimum from the current scores). Rows are validated with the
 * config's own tier rules, and every problem is attached to the field it is about.
 */
export interface TierRow {
  name: string;
  mode: 'score' | 'capacity';
  min: string;
  perDay: string;
  /** The minimum score this row resolves to (capacity rows: computed). */
  resolvedMin: number | null;
  errors: Partial<Record<'name' | 'min' | 'perDay', string>>;
}

export interface TierFormResult {
  rows: TierRow[];
  tiers: Tier[] | null;
  formError: string | null;
}

const text = z.union([z.string(), z.number()]).transform((v) => String(v).trim()).default('');
const rowInput = z.object({ name: text, mode: z.enum(['score', 'capacity']).default('score'), min: text, perDay: text }).strict();
/** JSON from the preview script, or the form's parallel arrays (name=…&name=…). */
const jsonInput = z.object({ tiers: z.array(rowInput).max(12, 'at most 12 tiers') }).strict();
const list = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const formInput = z.object({ name: list, mode: list, min: list, perDay: list }).passthrough();

export function rowsFromBody(body: unknown): { rows: Array<z.infer<typeof rowInput>> } | { error: string } {
  const asJson = jsonInput.safeParse(body);
  if (asJson.success) return { rows: asJson.data.tiers };
  const asForm = formInput.safeParse(body);
  if (!asForm.success) return { error: 'The tier form was not understood; reload the page and try again.' };
  const f = asForm.data;
  const n = Math.max(f.name.length, f.mode.length, f.min.length, f.perDay.length);
  if (n > 12) return { error: 'At most 12 tiers.' };
  const rows = [];
  for (let i = 0; i < n; i++) {
    const parsed = rowInput.safeParse({ name: f.name[i] ?? '', mode: f.mode[i] || 'score', min: f.min[i] ?? '', perDay: f.perDay[i] ?? '' });
    if (!parsed.success) return { error: `Tier row ${i + 1}: ${parsed.error.issues[0].message}` };
    rows.push(parsed.data);
  }
  return { rows };
}

export function resolveTierRows(input: Array<z.infer<typeof rowInput>>, dist: ScoreDistribution): TierFormResult {
  const rows: TierRow[] = input.map((r) => ({ ...r, resolvedMin: null, errors: {} }));
  // A row left entirely blank is the editor's spare row, not a tier.
  const kept = rows.filter((r) => r.name !== '' || (r.mode === 'score' ? r.min !== '' : r.perDay !== ''));
  const tiers: Array<{ name: string; min: number }> = [];
  for (const row of kept) {
    if (row.mode === 'score') {
      const min = row.min === '' ? NaN : Number(row.min);
      if (!Number.isFinite(min)) row.errors.min = 'Enter a score from 0 to 100.';
      else row.resolvedMin = min;
    } else {
      const perDay = row.perDay === '' ? NaN : Number(row.perDay);
      if (!Number.isFinite(perDay) || perDay <= 0) row.errors.perDay = 'Enter how many leads a day this tier and those above it should hold (more than 0).';
      else {
        const threshold = thresholdForCapacity(dist, perDay);
        if (!threshold) row.errors.perDay = 'No scored leads or no new leads in the last 28 days, so a daily number cannot be turned into a score yet; set a minimum score instead.';
        else row.resolvedMin = threshold.min;
      }
    }
    tiers.push({ name: row.name, min: row.resolvedMin ?? NaN });
  }
  if (kept.some((r) => Object.keys(r.errors).length > 0)) return { rows, tiers: null, formError: null };

  const parsed = tiersSchema.safeParse(tiers);
  if (parsed.success) return { rows, tiers: parsed.data, formError: null };
  let formError: string | null = null;
  for (const issue of parsed.error.issues) {
    const [index, field] = issue.path as [number | undefined, string | undefined];
    const row = index === undefined ? undefined : kept[index];
    if (!row || (field !== 'name' && field !== 'min')) {
      formError ??= `Tiers ${issue.message}.`;
      continue;
    }
    const target = field === 'min' && row.mode === 'capacity' ? 'perDay' : field;
    const message = field === 'min' && row.mode === 'capacity' ? `This works out to a minimum score of ${row.resolvedMin}, which ${issue.message}.` : sentence(issue.message);
    row.errors[target] ??= message;
  }
  return { rows, tiers: null, formError };
}

function sentence(message: string): string {
  const m = message.replace(/tiers\[(\d+)\]\.min/g, (_, i) => `tier ${Number(i) + 1}'s minimum`);
  return m[0].toUpperCase() + m.slice(1) + (m.endsWith('.') ? '' : '.');
}

/** Rows for the editor from saved tiers (score mode), plus one spare row for a new tier. */
export function rowsForTiers(tiers: readonly Tier[]): TierRow[] {
  return [
    ...tiers.map((t) => ({ name: t.name, mode: 'score' as const, min: String(t.min), perDay: '', resolvedMin: t.min, errors: {} })),
    { name: '', mode: 'score' as const, min: '', perDay: '', resolvedMin: null, errors: {} },
  ];
}
