import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE seats (
      id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id     uuid NOT NULL,
      event_id      uuid NOT NULL,
      category_id   uuid NOT NULL,
      block         text NOT NULL CHECK (length(block) BETWEEN 1 AND 50),
      row_label     text NOT NULL CHECK (length(row_label) BETWEEN 1 AND 20),
      -- Numeric position for ordering and adjacency (row_label may be "A", "12", ...).
      row_index     integer NOT NULL,
      seat_number   integer NOT NULL CHECK (seat_number >= 0),
      status        text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'held', 'sold')),
      hold_id       uuid,
      hold_expires_at timestamptz,
      UNIQUE (event_id, block, row_label, seat_number),
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, category_id) REFERENCES price_categories (tenant_id, id),
      FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id),
      CHECK ((status = 'held') = (hold_id IS NOT NULL AND hold_expires_at IS NOT NULL))
    )
  `);
  await knex.raw('CREATE INDEX seats_category_status ON seats (category_id, status, block, row_index, seat_number)');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON seats TO boxoffice_app');
  await knex.raw('ALTER TABLE seats ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE seats FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON seats USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
  await knex.raw('CREATE POLICY outlet_read ON seats FOR SELECT USING (app_may_sell(event_id))');
  await knex.raw('CREATE POLICY outlet_sell ON seats FOR UPDATE USING (app_may_sell(event_id)) WITH CHECK (app_may_sell(event_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE seats');
}
