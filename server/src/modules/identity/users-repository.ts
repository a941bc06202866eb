import type { Knex } from 'knex';

export interface UserRow {
  id: string;
  tenant_id: string;
  login: string;
  display_name: string;
  password_hash: string;
  must_change_password: boolean;
  initial_password_expires_at: Date | null;
  password_changed_at: Date | null;
  disabled_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  lockout_reset_at: Date | null;
  /** 'directory': the password is checked by the tenant's directory (modules/directory), never here. */
  auth_source: 'local' | 'directory';
  directory_dn: string | null;
  /** Disabled by the directory (sign-in or sync), which may enable the user again; not by an administrator. */
  directory_disabled: boolean;
}

export interface NewUser {
  tenantId: string;
  login: string;
  displayName: string;
  passwordHash: string;
  initialPasswordExpiresAt: Date;
  createdBy: string | null;
  now: Date;
}

export function createUserRepository() {
  return {
    async insert(db: Knex | Knex.Transaction, input: NewUser): Promise<UserRow> {
      const [row] = await db('users')
        .insert({
          tenant_id: input.tenantId,
          login: input.login,
          display_name: input.displayName,
          password_hash: input.passwordHash,
          must_change_password: true,
          initial_password_expires_at: input.initialPasswordExpiresAt,
          created_by: input.createdBy,
          created_at: input.now,
          updated_at: input.now,
        })
        .returning<UserRow[]>('*');
      if (row === undefined) throw new Error('insert returned no row');
      return row;
    },
    findByLogin(db: Knex | Knex.Transaction, login: string): Promise<UserRow | undefined> {
      return db('users').where({ login }).first<UserRow | undefined>('*');
    },
    findById(db: Knex | Knex.Transaction, id: string): Promise<UserRow | undefined> {
      return db('users').where({ id }).first<UserRow | undefined>('*');
    },
    list(db: Knex | Knex.Transaction): Promise<UserRow[]> {
      return db('users').orderBy('login').select<UserRow[]>('*');
    },
    async update(db: Knex | Knex.Transaction, id: string, changes: Partial<Omit<UserRow, 'id' | 'tenant_id' | 'created_at'>>): Promise<void> {
      await db('users').where({ id }).update(changes);
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
