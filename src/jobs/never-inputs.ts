import type { CrmName } from '../../connectors/types.js';
import type { AppConfig } from '../config/schema.js';
import type { Manifest } from '../domain/manifest.js';

/**
 * The configured deny-list (config loop.neverInputs.<crm>): fields a CRM fills in once the
 * outcome is known (stage, status, conversion dates), bookkeeping fields, the app's own score
 * fields, and personal identifiers (names, e-mail, phone, street): a first name says nothing about
 * buying intent but stands in for gender and origin, and a model would fit its noise ("First Name
 * is Hugo" as a reason); leaving them out of snapshots also keeps personal data out of the store's
 * training history. Patterns use `*` for any run of characters and ignore case. The manifest is
 * the caller's (LoopDeps.manifest): its score field names, not the default file's, are the ones
 * the sync reads back.
 */
export function neverInputMatcher(config: AppConfig, crm: CrmName, manifest: Manifest): (column: string) => boolean {
  const patterns = config.loop.neverInputs[crm].map(
    (p) => new RegExp(`^${p.split('*').map(escapeRegExp).join('.*')}$`, 'i'),
  );
  // The app's own score fields, whatever the configured list says: the sync reads them (to put an
  // edited score right), and a model learning from its own scores would only echo them.
  const own = new Set((crm === 'hubspot' ? manifest.hubspot.properties : manifest.salesforce.fields).map((f) => f.name.toLowerCase()));
  return (column) => own.has(column.toLowerCase()) || patterns.some((re) => re.test(column));
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
