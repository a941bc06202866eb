import type { Knex } from 'knex';
import { isPermission, type Permission } from '../../../../src/shared/domain/permissions.js';

export function createPermissionRepository() {
  return {
    async listForUser(db: Knex.Transaction, userId: string): Promise<Permission[]> {
      const rows = await db('user_permissions').where({ user_id: userId }).orderBy('permission').select<Array<{ permission: string }>>('permission');
      // A name that is no longer known (a right removed from the product) grants nothing.
      return rows.map((r) => r.permission).filter(isPermission);
    },

    /** Replaces the user's rights; returns what was added and removed. */
    async replace(
      db: Knex.Transaction,
      input: { tenantId: string; userId: string; permissions: readonly Permission[]; grantedBy: string | null; now: Date },
    ): Promise<{ added: Permission[]; removed: Permission[] }> {
      const current = await this.listForUser(db, input.userId);
      const wanted = new Set(input.permissions);
      const added = [...wanted].filter((p) => !current.includes(p)).sort();
      const removed = current.filter((p) => !wanted.has(p));
      if (removed.length > 0) await db('user_permissions').where({ user_id: input.userId }).whereIn('permission', removed).delete();
      if (added.length > 0) {
        await db('user_permissions').insert(
          added.map((permission) => ({ tenant_id: input.tenantId, user_id: input.userId, permission, granted_by: input.grantedBy, granted_at: input.now })),
        );
      }
      return { added, removed };
    },
  };
}
