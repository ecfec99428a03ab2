import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { issueAtKey, shownValue } from '../config/issue-words.js';
import { jsonSyntaxError } from '../config/json-syntax-error.js';
import { valueAt } from '../config/validate.js';
import { InputError } from './errors.js';

/**
 * manifest.json is the single description of what the app installs in a CRM. Code reads it
 * through here and never keeps its own copy of property names, scopes or schedules.
 */

const fieldKey = z.enum(['score', 'tier', 'probability', 'reasons', 'trend', 'modelVersion', 'scoredAt']);

/**
 * A fixed option of a dropdown / picklist field: `value` is what leadlift writes and reads back
 * (a contract: workflows, reports and list views filter on it), `label` what the CRM shows a rep.
 */
const optionSchema = z.object({ value: z.string().min(1), label: z.string().min(1) });

const fieldSchema = z.object({
  key: fieldKey,
  name: z.string().min(1),
  label: z.string().min(1),
  type: z.enum(['number', 'enumeration', 'text', 'datetime']),
  description: z.string(),
  options: z.array(optionSchema).optional(),
});

export const manifestSchema = z.object({
  name: z.string(),
  displayName: z.string(),
  version: z.string(),
  description: z.string(),
  hubspot: z.object({
    scopes: z.array(z.string()).min(1),
    propertyGroup: z.object({ name: z.string(), label: z.string() }),
    properties: z.array(fieldSchema),
    webhooks: z.array(z.object({ subscriptionType: z.string(), propertyName: z.string().optional() })),
  }),
  salesforce: z.object({
    scopes: z.array(z.string()).min(1),
    object: z.string(),
    fields: z.array(fieldSchema),
    /**
     * The permission sets the schema step creates with field-level security on `fields`
     * (connectors/salesforce/permission-sets.ts), under their default labels: config
     * salesforce.permissionSet / readerPermissionSet rename them. Listed so the manifest says all
     * leadlift puts in an org.
     */
    permissionSets: z.array(
      z.object({ name: z.string(), label: z.string(), access: z.enum(['read', 'edit']), assignedBy: z.enum(['leadlift', 'admin']), assignedTo: z.string() }).strict(),
    ),
    changeNotifications: z.object({ mode: z.enum(['polling', 'outbound-message']), intervalSeconds: z.number().int().positive() }),
  }),
  schedules: z.record(z.object({ cron: z.string(), description: z.string() })),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestField = z.infer<typeof fieldSchema>;
export type ManifestOption = z.infer<typeof optionSchema>;

const manifestPath = fileURLToPath(new URL('../../manifest.json', import.meta.url));
let cached: Manifest | null = null;

export function loadManifest(path = manifestPath): Manifest {
  if (path === manifestPath && cached) return cached;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`Cannot read the app manifest at ${path}: ${code === 'ENOENT' ? 'file not found' : String(code ?? err)}`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new InputError(`The app manifest ${path} is not valid JSON: ${jsonSyntaxError(text) ?? (err as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    // The manifest holds no secret, so the value refused is shown beside the words.
    const refused = valueAt(raw, parsed.error.issues[0].path);
    throw new InputError(`The app manifest ${path} is invalid: ${issueAtKey(parsed.error)}${refused.found ? ` (it is ${shownValue(refused.value)})` : ''}`);
  }
  if (path === manifestPath) cached = parsed.data;
  return parsed.data;
}

/** The label a CRM shows for one of the app's fields, as the manifest names it (pages quote it, so it cannot drift). */
export function fieldLabel(manifest: Manifest, crm: 'hubspot' | 'salesforce', key: ManifestField['key']): string {
  const fields = crm === 'hubspot' ? manifest.hubspot.properties : manifest.salesforce.fields;
  const field = fields.find((f) => f.key === key);
  if (!field) throw new InputError(`The app manifest has no "${key}" field under ${crm === 'hubspot' ? 'hubspot.properties' : 'salesforce.fields'}`);
  return field.label;
}

/**
 * The label the CRM should show for an option value of this field: the manifest's, else the value
 * itself (tier names, which the managers choose, are their own labels).
 */
export function optionLabel(field: Pick<ManifestField, 'options'>, value: string): string {
  return field.options?.find((o) => o.value === value)?.label ?? value;
}
