import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE tickets (
      id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id       uuid NOT NULL,
      promoter_id     uuid NOT NULL,
      order_id        uuid NOT NULL,
      event_id        uuid NOT NULL,
      category_id     uuid NOT NULL,
      variant_id      uuid,
      seat_id         uuid,
      price_cents     bigint NOT NULL CHECK (price_cents >= 0),
      vat_rate_bp     integer NOT NULL,
      status          text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'cancelled')),
      cancelled_at    timestamptz,
      cancel_reason   text,
      -- Set by entry control at the first admission; a used ticket needs a separate right to cancel.
      admitted_at     timestamptz,
      created_at      timestamptz NOT NULL,
      UNIQUE (tenant_id, id),
      FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
      FOREIGN KEY (promoter_id, category_id) REFERENCES price_categories (tenant_id, id),
      FOREIGN KEY (promoter_id, seat_id) REFERENCES seats (tenant_id, id),
      CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
    )
  `);
  // A seat is sold at most once among valid tickets, whatever the code does.
  await knex.raw(`CREATE UNIQUE INDEX tickets_one_valid_per_seat ON tickets (seat_id) WHERE status = 'valid' AND seat_id IS NOT NULL`);
  await knex.raw('CREATE INDEX tickets_order ON tickets (order_id)');
  await knex.raw('CREATE INDEX tickets_category_valid ON tickets (category_id) WHERE status = \'valid\'');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON tickets TO boxoffice_app');
  await knex.raw('ALTER TABLE tickets ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE tickets FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON tickets USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
  await knex.raw('CREATE POLICY promoter_read ON tickets FOR SELECT USING (app_visible_tenant(promoter_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE tickets');
}
