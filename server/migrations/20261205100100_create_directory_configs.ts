import type { Knex } from 'knex';
import { visibleTenant } from './lib/policy-sql.js';

// One directory (LDAP / Active Directory) per tenant for sign-in. Never plain LDAP: ldaps:// or ldap://
// with StartTLS, against the directory's own CA certificate. The service account's password is stored
// encrypted (AES-256-GCM under the server's BOXOFFICE_DIRECTORY_KEY), never in clear.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE directory_configs (
      tenant_id              uuid PRIMARY KEY REFERENCES tenants (id),
      enabled                boolean NOT NULL,
      -- No question mark in this SQL: knex.raw would take it for a binding. chr(63) is '?'.
      url                    text NOT NULL CHECK (url ~ '^ldaps{0,1}://[^/#[:space:]]+$' AND strpos(url, chr(63)) = 0),
      start_tls              boolean NOT NULL,
      ca_cert_pem            text NOT NULL CHECK (ca_cert_pem LIKE '-----BEGIN CERTIFICATE-----%' AND length(ca_cert_pem) <= 65536),
      bind_dn                text NOT NULL CHECK (length(bind_dn) BETWEEN 1 AND 1024),
      bind_password_enc      text NOT NULL CHECK (bind_password_enc ~ '^v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$'),
      base_dn                text NOT NULL CHECK (length(base_dn) BETWEEN 1 AND 1024),
      user_filter            text NOT NULL CHECK (length(user_filter) BETWEEN 3 AND 1024),
      login_attribute        text NOT NULL CHECK (login_attribute ~ '^[A-Za-z][A-Za-z0-9-]{0,63}$'),
      display_name_attribute text NOT NULL CHECK (display_name_attribute ~ '^[A-Za-z][A-Za-z0-9-]{0,63}$'),
      group_base_dn          text NOT NULL CHECK (length(group_base_dn) BETWEEN 1 AND 1024),
      group_filter           text NOT NULL CHECK (length(group_filter) BETWEEN 3 AND 1024 AND position('{dn}' IN group_filter) > 0),
      disabled_filter        text CHECK (disabled_filter IS NULL OR length(disabled_filter) BETWEEN 3 AND 1024),
      timeout_ms             integer NOT NULL CHECK (timeout_ms BETWEEN 500 AND 60000),
      updated_at             timestamptz NOT NULL,
      updated_by             uuid,
      CHECK (url LIKE 'ldaps://%' OR start_tls),
      FOREIGN KEY (tenant_id, updated_by) REFERENCES users (tenant_id, id)
    )
  `);
  await knex.raw('GRANT SELECT, INSERT, UPDATE ON directory_configs TO boxoffice_app');
  await knex.raw('ALTER TABLE directory_configs ENABLE ROW LEVEL SECURITY');
  await knex.raw('ALTER TABLE directory_configs FORCE ROW LEVEL SECURITY');
  await knex.raw(`CREATE POLICY tenant_isolation ON directory_configs USING (${visibleTenant('tenant_id')}) WITH CHECK (${visibleTenant('tenant_id')})`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE directory_configs');
}
