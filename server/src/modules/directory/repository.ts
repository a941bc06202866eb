import type { Knex } from 'knex';

export interface DirectoryConfigRow {
  tenant_id: string;
  enabled: boolean;
  url: string;
  start_tls: boolean;
  ca_cert_pem: string;
  bind_dn: string;
  bind_password_enc: string;
  base_dn: string;
  user_filter: string;
  login_attribute: string;
  display_name_attribute: string;
  group_base_dn: string;
  group_filter: string;
  disabled_filter: string | null;
  timeout_ms: number;
  updated_at: Date;
  updated_by: string | null;
}

export interface MappingRow {
  tenant_id: string;
  group_dn: string;
  permission: string;
  granted_by: string | null;
  granted_at: Date;
}

/** knex only; every method runs on the caller's (tenant-scoped) transaction. */
export function createDirectoryRepository() {
  return {
    findConfig(db: Knex.Transaction, tenantId: string): Promise<DirectoryConfigRow | undefined> {
      return db('directory_configs').where({ tenant_id: tenantId }).first<DirectoryConfigRow | undefined>('*');
    },

    async saveConfig(db: Knex.Transaction, row: DirectoryConfigRow): Promise<void> {
      await db('directory_configs').insert(row).onConflict('tenant_id').merge();
    },

    listMappings(db: Knex.Transaction, tenantId: string): Promise<MappingRow[]> {
      return db('directory_group_mappings').where({ tenant_id: tenantId }).orderBy([{ column: 'group_dn' }, { column: 'permission' }]).select<MappingRow[]>('*');
    },

    async deleteMappings(db: Knex.Transaction, tenantId: string, pairs: ReadonlyArray<{ groupDn: string; permission: string }>): Promise<void> {
      for (const p of pairs) await db('directory_group_mappings').where({ tenant_id: tenantId, group_dn: p.groupDn, permission: p.permission }).delete();
    },

    async insertMappings(db: Knex.Transaction, rows: MappingRow[]): Promise<void> {
      if (rows.length > 0) await db('directory_group_mappings').insert(rows);
    },

    /**
     * The rights mapped to any of the groups that still stand: a right mapped by an administrator counts
     * only while that administrator is enabled and holds it (command-line mappings have no author).
     */
    async grantedRights(db: Knex.Transaction, tenantId: string, groups: readonly string[]): Promise<string[]> {
      if (groups.length === 0) return [];
      const rows = await db('directory_group_mappings as m')
        .leftJoin('users as u', 'u.id', 'm.granted_by')
        .leftJoin('user_permissions as p', function joinHeld() {
          this.on('p.user_id', '=', 'm.granted_by').andOn('p.permission', '=', 'm.permission');
        })
        .where('m.tenant_id', tenantId)
        .whereIn('m.group_dn', groups)
        .where((q) => {
          void q.whereNull('m.granted_by').orWhere((w) => {
            void w.whereNull('u.disabled_at').whereNotNull('p.permission');
          });
        })
        .distinct<Array<{ permission: string }>>('m.permission');
      return rows.map((r) => r.permission).sort();
    },

    /** Group DNs that appear in the tenant's mapping (to tell whether a user is in any mapped group). */
    async mappedGroups(db: Knex.Transaction, tenantId: string): Promise<Set<string>> {
      const rows = await db('directory_group_mappings').where({ tenant_id: tenantId }).distinct<Array<{ group_dn: string }>>('group_dn');
      return new Set(rows.map((r) => r.group_dn));
    },
  };
}

export type DirectoryRepository = ReturnType<typeof createDirectoryRepository>;
