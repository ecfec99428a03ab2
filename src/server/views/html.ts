/**
 * Server-rendered HTML with escaping by default: every value interpolated into an `html`
 * template is escaped unless it is itself the result of `html` (or `raw`, for text we wrote).
 * Arrays are joined, null/undefined/false render nothing, so conditionals read naturally.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolated = SafeHtml | string | number | boolean | null | undefined | Interpolated[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

function render(value: Interpolated): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new SafeHtml(out);
}

/** Markup we wrote ourselves (never user or CRM text). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/**
 * Data for the page's scripts, in a <script type="application/json"> block: not executed (so
 * the CSP needs no inline script), and `<` is escaped so no value can close the tag.
 */
export function jsonData(id: string, data: unknown): SafeHtml {
  const text = JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return new SafeHtml(`<script type="application/json" id="${escapeHtml(id)}">${text}</script>`);
}
