import type { CrmName } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';

/**
 * The configured deny-list (config loop.neverInputs.<crm>): fields a CRM fills in once the
 * outcome is known (stage, status, conversion dates), bookkeeping fields, and the app's own
 * score fields. Patterns use `*` for any run of characters and ignore case.
 */
export function neverInputMatcher(config: AppConfig, crm: CrmName): (column: string) => boolean {
  const patterns = config.loop.neverInputs[crm].map(
    (p) => new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`, 'i'),
  );
  return (column) => patterns.some((re) => re.test(column));
}

/** The lead's properties without never-input fields and empty values: what a snapshot keeps. */
export function inputProperties(
  properties: Record<string, string | null>,
  isNeverInput: (column: string) => boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value === null || value === undefined || value === '' || isNeverInput(key)) continue;
    out[key] = value;
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
