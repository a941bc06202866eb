import type { Knex } from 'knex';

// Best available walks a category's takeable seats front first (row, then block, then seat number) and
// locks the first ones nobody else is buying (FOR UPDATE SKIP LOCKED ... LIMIT). This index gives that
// order per status, so the walk reads only the seats it returns or skips.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX seats_front_first ON seats (category_id, status, row_index, block, seat_number)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX seats_front_first');
}
