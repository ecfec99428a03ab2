import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { config } from 'dotenv';
import { InputError } from '../domain/errors.js';

/**
 * The README and .env.example tell an admin to copy .env.example to `.env`: every command reads
 * it from the folder it runs in. A variable already set in the environment wins, so a service
 * manager or CI can still override one value without editing the file.
 */
export function loadDotEnvFile(path = resolve('.env'), env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(path)) return;
  const result = config({ path, processEnv: env as Record<string, string>, quiet: true, override: false });
  if (result.error) throw new InputError(`Cannot read ${path}: ${result.error.message}`);
}
