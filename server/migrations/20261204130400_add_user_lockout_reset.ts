import type { Knex } from 'knex';

// Failed logins before this moment no longer count: set by an administrator's unlock (and a password
// reset), so a locked-out user can be let in at once.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users ADD COLUMN lockout_reset_at timestamptz');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP COLUMN lockout_reset_at');
}
