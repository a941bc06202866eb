import type { Knex } from 'knex';
import { migrations, type Migration } from '../../migrations/index.js';

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: () => Promise.resolve([...migrations]),
  getMigrationName: (migration) => migration.name,
  getMigration: (migration) => Promise.resolve({ up: migration.up, down: migration.down }),
};

export const MIGRATION_CONFIG: Knex.MigratorConfig = {
  migrationSource,
  tableName: 'knex_migrations',
};

/** Brings the schema up to date. Runs as the owner, never as the application role. */
export async function migrateLatest(admin: Knex): Promise<string[]> {
  const [, applied] = (await admin.migrate.latest(MIGRATION_CONFIG)) as [number, string[]];
  return applied;
}

export async function pendingMigrations(admin: Knex): Promise<string[]> {
  const [, pending] = (await admin.migrate.list(MIGRATION_CONFIG)) as [unknown, Array<{ file?: string; name?: string } | string>];
  return pending.map((m) => (typeof m === 'string' ? m : (m.name ?? m.file ?? '?')));
}
