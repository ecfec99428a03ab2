import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { jsonSyntaxError } from '../../src/config/json-syntax-error.js';
import { InputError } from '../../src/domain/errors.js';

const labelsSchema = z.record(z.string().trim().min(1, 'a label cannot be empty').max(255, 'a label is at most 255 characters'));

/**
 * `--labels FILE`: a JSON object, CSV column -> the label its seeded property/field shows
 * (e.g. {"lead_source": "Lead source"}), as a portal admin would have named it.
 */
export async function loadSeedLabels(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`Cannot read the labels file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Where the hand-written file goes wrong, by line and column: JSON.parse's text has neither.
    throw new InputError(`The labels file ${file} is not valid JSON: ${jsonSyntaxError(text) ?? 'JSON cannot read it'}. Fix it (a JSON object, column -> label: {"Lead Source": "Original source"}).`);
  }
  const parsed = labelsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the file';
    throw new InputError(`The labels file ${file}, ${where}: ${issue.message} (expected {"column": "Label", …})`);
  }
  return parsed.data;
}
