import type { Knex } from 'knex';

// Payments and refunds (negative amounts). Counter payments belong to the till session they were taken in.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE payments (
      id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      tenant_id         uuid NOT NULL,
      order_id          uuid NOT NULL,
      method            text NOT NULL CHECK (method IN ('cash', 'card', 'escrow_transfer')),
      amount_cents      bigint NOT NULL CHECK (amount_cents <> 0),
      given_cents       bigint CHECK (given_cents IS NULL OR given_cents >= 0),
      change_cents      bigint CHECK (change_cents IS NULL OR change_cents >= 0),
      card_reference    text CHECK (card_reference IS NULL OR length(card_reference) BETWEEN 1 AND 100),
      till_session_id   uuid,
      booked_by         uuid NOT NULL,
      workstation_id    uuid,
      created_at        timestamptz NOT NULL,
      FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
      FOREIGN KEY (tenant_id, till_session_id) REFERENCES till_sessions (tenant_id, id),
      CHECK (method = 'escrow_transfer' OR till_session_id IS NOT NULL)
    )
  `);
  await knex.raw('CREATE INDEX payments_till_session ON payments (till_session_id)');
  await knex.raw('CREATE INDEX payments_order ON payments (order_id)');
  await knex.raw('GRANT SELECT, INSERT ON payments TO boxoffice_app');
  await knex.raw('ALTER TABLE payments ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE payments FORCE ROW LEVEL SECURITY');
  await knex.raw('CREATE POLICY tenant_isolation ON payments USING (app_visible_tenant(tenant_id)) WITH CHECK (app_visible_tenant(tenant_id))');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE payments');
}
