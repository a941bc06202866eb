import type { Knex } from 'knex';

// Failed logins before this moment no longer count: set by an administrator's unlock and by a
// successful login, so a lockout never outlives its cause.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users ADD COLUMN lockout_reset_at timestamptz');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP COLUMN lockout_reset_at');
}
