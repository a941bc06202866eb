import type { Knex } from 'knex';

// Orders belong to the selling outlet; the event's promoter sees them too (promoter_id). One event per
// order. The total is frozen at sale.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE orders (
      id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      order_number     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      tenant_id        uuid NOT NULL REFERENCES tenants (id),
      promoter_id      uuid NOT NULL REFERENCES tenants (id),
      event_id         uuid NOT NULL,
      channel          text NOT NULL CHECK (channel IN ('counter', 'business')),
      status           text NOT NULL CHECK (status IN ('paid', 'unpaid', 'cancelled')),
      customer_name    text NOT NULL DEFAULT '' CHECK (length(customer_name) <= 200),
      business_customer jsonb,
      total_cents      bigint NOT NULL CHECK (total_cents >= 0),
      paid_at          timestamptz,
      created_at       timestamptz NOT NULL,
      created_by       uuid NOT NULL,
      workstation_id   uuid NOT NULL,
      UNIQUE (tenant_id, id),
      FOREIGN KEY (promoter_id, event_id) REFERENCES events (tenant_id, id),
      FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id),
      FOREIGN KEY (tenant_id, workstation_id) REFERENCES workstations (tenant_id, id),
      CHECK ((channel = 'business') = (business_customer IS NOT NULL)),
      CHECK ((status = 'paid') <= (paid_at IS NOT NULL))
    )
  `);
  await knex.raw('CREATE INDEX orders_tenant_created ON orders (tenant_id, created_at DESC)');
  await knex.raw('CREATE INDEX orders_event ON orders (event_id)');
  await knex.raw('CREATE INDEX orders_customer_lower ON orders (lower(customer_name) text_pattern_ops)');
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON orders TO boxoffice_app');
  await knex.raw('GRANT USAGE ON SEQUENCE orders_order_number_seq TO boxoffice_app');
  await knex.raw('ALTER TABLE orders ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE orders FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON orders USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
  await knex.raw('CREATE POLICY promoter_read ON orders FOR SELECT USING (app_visible_tenant(promoter_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE orders');
}
