import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE events (
      id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id      uuid NOT NULL REFERENCES tenants (id),
      venue_id       uuid NOT NULL,
      name           text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
      starts_at      timestamptz NOT NULL,
      sales_start    timestamptz NOT NULL,
      sales_end      timestamptz NOT NULL,
      -- 'past' is not stored: an event is past once starts_at has passed (derived when read).
      status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'on_sale', 'sales_stopped', 'cancelled')),
      created_at     timestamptz NOT NULL DEFAULT now(),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, venue_id) REFERENCES venues (tenant_id, id),
      CHECK (sales_start < sales_end),
      CHECK (sales_end <= starts_at + interval '1 day')
    )
  `);
  await knex.raw('CREATE INDEX events_starts_at ON events (starts_at)');
  await knex.raw('CREATE INDEX events_name_lower ON events (lower(name) text_pattern_ops)');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON events TO boxoffice_app');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE events');
}
