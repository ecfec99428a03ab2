import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { jsonSyntaxError } from '../../src/config/json-syntax-error.js';
import { InputError } from '../../src/domain/errors.js';
import type { SeedValueLabels } from './seed-options.js';

const label = z.string().trim().min(1, 'a label cannot be empty').max(255, 'a label is at most 255 characters');
const labelsSchema = z.record(label);
const optionLabelsSchema = z.record(z.record(label));

interface LabelsFile<T> {
  /** How the file is named in errors ("labels file", "option labels file"). */
  what: string;
  /** Its shape in words and by example, as the fix for a file JSON cannot read says it. */
  shape: string;
  /** Its shape as a schema error says it. */
  expected: string;
  schema: z.ZodType<T>;
}

/**
 * `--labels FILE`: a JSON object, CSV column -> the label its seeded property/field shows
 * (e.g. {"lead_source": "Lead source"}), as a portal admin would have named it.
 */
export function loadSeedLabels(file: string): Promise<Record<string, string>> {
  return loadLabelsFile(file, {
    what: 'labels file',
    shape: 'column -> label: {"Lead Source": "Original source"}',
    expected: '{"column": "Label", …}',
    schema: labelsSchema,
  });
}

/**
 * `--option-labels FILE`: a JSON object, CSV column -> stored value -> the label its dropdown
 * option shows (e.g. {"month": {"may": "May"}}), the shape of
 * config/sample/bank-marketing-value-labels.json. Those columns are seeded as HubSpot dropdowns
 * and Salesforce picklists, as a portal admin would have built them, so reasons read the CRM's words.
 */
export function loadSeedOptionLabels(file: string): Promise<SeedValueLabels> {
  return loadLabelsFile(file, {
    what: 'option labels file',
    shape: 'column -> stored value -> option label: {"Lead Source": {"web": "Website"}}',
    expected: '{"column": {"value": "Label", …}, …}',
    schema: optionLabelsSchema,
  });
}

async function loadLabelsFile<T>(file: string, kind: LabelsFile<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`Cannot read the ${kind.what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Where the hand-written file goes wrong, by line and column: JSON.parse's text has neither.
    throw new InputError(`The ${kind.what} ${file} is not valid JSON: ${jsonSyntaxError(text) ?? 'JSON cannot read it'}. Fix it (a JSON object, ${kind.shape}).`);
  }
  const parsed = kind.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the file';
    throw new InputError(`The ${kind.what} ${file}, ${where}: ${issue.message} (expected ${kind.expected})`);
  }
  return parsed.data;
}
