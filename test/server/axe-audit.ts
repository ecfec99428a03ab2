/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * axe-core's automated WCAG audit of the page as it is now, in the real browser. The script comes
 * from node_modules (nothing is fetched at run time). The admin pages' CSP (script-src 'self')
 * refuses an added <script> element with inline text, which is what page.addScriptTag does with a
 * file, so the source is evaluated through CDP instead, which the CSP does not govern; the page's
 * own scripts still run under it as a manager's browser runs them.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0 and 2.1, levels A and AA: what the admin pages are held to. */
export const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
}

export async function auditPage(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; impact?: string | null; help: string; helpUrl: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, helpUrl: v.helpUrl, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  }, WCAG_AA);
}

/** One line per violation with where it is and where axe explains it: what a failing test prints. */
export function describeViolations(where: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no violations`;
  return [`${where}: ${violations.length} axe violation(s)`, ...violations.map((v) => `  ${v.id} (${v.impact ?? 'no impact'}): ${v.help} — ${v.helpUrl}\n    at ${v.targets.join('\n    at ')}`)].join('\n');
}
