import { readFileSync } from 'node:fs';
import { z } from 'zod';

const packageJson = z.object({ version: z.string().min(1) });

/** The version in package.json: the one file npm publishes it from, so --version cannot drift from it. */
export function packageVersion(): string {
  return packageJson.parse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))).version;
}
