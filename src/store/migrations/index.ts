import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './001-initial.js';

/**
 * Every migration, in order. Names sort lexically (Kysely runs them in name order), so keep the
 * three-digit prefix. Never edit a migration that has shipped: add the next one.
 */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
