import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Writes many rows with one multi-row statement per chunk. Building a Kysely query for 1,000 rows
 * costs more than running it, so the statement is compiled once per chunk size and reused with
 * the next chunk's values: the SQL text is the same, only the bound parameters change. The first
 * compilation is checked against `parameters(row)` so a statement whose bound values are not
 * exactly the rows' values in order is simply compiled for every chunk instead.
 */
export async function writeInChunks<R>(
  db: Kysely<Database>,
  rows: readonly R[],
  rowsPerStatement: number,
  build: (batch: R[]) => Compilable,
  parameters: (row: R) => readonly unknown[],
): Promise<void> {
  const templates = new Map<number, CompiledQuery | null>();
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    const batch = rows.slice(i, i + rowsPerStatement);
    const template = templates.get(batch.length);
    if (template) {
      await db.executeQuery({ ...template, parameters: batch.flatMap(parameters) });
      continue;
    }
    const compiled = build(batch).compile();
    templates.set(batch.length, sameValues(compiled.parameters, batch.flatMap(parameters)) ? compiled : null);
    await db.executeQuery(compiled);
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
