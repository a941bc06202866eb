import type { Knex } from 'knex';
import { OPERATOR_ONLY_PERMISSIONS, type Permission } from '../../../../src/shared/domain/permissions.js';
import type { Clock } from '../../clock.js';
import { inTenant, type TenantScope } from '../../db/tenant-scope.js';
import { AppError, notFound } from '../../errors.js';
import { appendActorAudit } from '../audit/repository.js';
import { passwordManagedByDirectory, type AuthService, type CallerWorkstation } from './auth-service.js';
import { generateInitialPassword, INITIAL_PASSWORD_VALIDITY_MS } from './initial-password.js';
import { hashPassword } from './password-hash.js';
import { createPermissionRepository } from './permissions-repository.js';
import { createUserRepository, type UserRow } from './users-repository.js';

export interface Actor {
  userId: string;
  tenantId: string;
  permissions: ReadonlySet<Permission>;
  workstation: CallerWorkstation;
}

export interface UserView {
  id: string;
  tenantId: string;
  login: string;
  displayName: string;
  disabled: boolean;
  mustChangePassword: boolean;
  permissions: Permission[];
  createdAt: string;
}

/**
 * What an actor may see and change: its own tenant; operator staff holding tenants.manage also the
 * tenants directly below the operator (the right that "says so").
 */
export function actorScope(actor: Actor, tenantKind: string): TenantScope {
  return { tenantId: actor.tenantId, includeChildren: tenantKind === 'operator' && actor.permissions.has('tenants.manage') };
}

/** A grantor can only hand out rights it holds itself; tenants.manage never leaves the operator. */
export function assertGrantable(actor: Pick<Actor, 'permissions'>, targetTenantKind: string, wanted: readonly Permission[]): void {
  const lacking = wanted.filter((p) => !actor.permissions.has(p));
  if (lacking.length > 0) throw new AppError(403, 'GRANT_EXCEEDS_OWN_RIGHTS', `You cannot grant rights you do not hold: ${lacking.join(', ')}.`);
  const operatorOnly = wanted.find((p) => OPERATOR_ONLY_PERMISSIONS.has(p));
  if (targetTenantKind !== 'operator' && operatorOnly !== undefined) {
    throw new AppError(403, 'GRANT_NOT_ALLOWED', `${operatorOnly} can only be granted to operator staff.`);
  }
}

export function createUsersService(deps: { knex: Knex; clock: Clock; auth: AuthService }) {
  const users = createUserRepository();
  const perms = createPermissionRepository();

  const view = (u: UserRow, p: Permission[]): UserView => ({
    id: u.id,
    tenantId: u.tenant_id,
    login: u.login,
    displayName: u.display_name,
    disabled: u.disabled_at !== null,
    mustChangePassword: u.must_change_password,
    permissions: p,
    createdAt: u.created_at.toISOString(),
  });

  async function loadTarget(trx: Knex.Transaction, userId: string): Promise<{ user: UserRow; tenantKind: string }> {
    const user = await users.findById(trx, userId);
    if (user === undefined) throw notFound('User');
    const tenant = await trx('tenants').where({ id: user.tenant_id }).first<{ kind: string } | undefined>('kind');
    if (tenant === undefined) throw notFound('User');
    return { user, tenantKind: tenant.kind };
  }

  const audit = (trx: Knex.Transaction, actor: Actor, tenantId: string, action: string, entityId: string, details: Record<string, unknown>, now: Date) =>
    appendActorAudit(trx, actor, now, { tenantId, action, entity: 'user', entityId, details });

  return {
    async list(actor: Actor, scope: TenantScope): Promise<UserView[]> {
      return inTenant(deps.knex, scope, async (trx) => {
        const rows = await users.list(trx);
        const grants = await trx('user_permissions').select<Array<{ user_id: string; permission: Permission }>>('user_id', 'permission').orderBy('permission');
        return rows.map((u) => view(u, grants.filter((g) => g.user_id === u.id).map((g) => g.permission)));
      });
    },

    async get(scope: TenantScope, userId: string): Promise<UserView> {
      return inTenant(deps.knex, scope, async (trx) => {
        const { user } = await loadTarget(trx, userId);
        return view(user, await perms.listForUser(trx, user.id));
      });
    },

    /** Creates an account with a generated one-time password, returned once and never stored in clear. */
    async create(
      actor: Actor,
      scope: TenantScope,
      input: { tenantId?: string | undefined; login: string; displayName: string; permissions: readonly Permission[] },
    ): Promise<{ user: UserView; initialPassword: string; initialPasswordExpiresAt: Date }> {
      const now = deps.clock.now();
      const tenantId = input.tenantId ?? actor.tenantId;
      const initialPassword = generateInitialPassword();
      const passwordHash = await hashPassword(initialPassword);
      const expiresAt = new Date(now.getTime() + INITIAL_PASSWORD_VALIDITY_MS);
      const login = input.login.trim().toLowerCase();
      return inTenant(deps.knex, scope, async (trx) => {
        const tenant = await trx('tenants').where({ id: tenantId }).first<{ id: string; kind: string } | undefined>('id', 'kind');
        // A tenant outside the scope looks exactly like a missing one.
        if (tenant === undefined || (tenant.id !== actor.tenantId && scope.includeChildren !== true)) throw notFound('Tenant');
        assertGrantable(actor, tenant.kind, input.permissions);
        const taken = await trx.raw<{ rows: Array<{ taken: boolean }> }>('SELECT EXISTS (SELECT 1 FROM users WHERE login = ?) AS taken', [login]);
        if (taken.rows[0]?.taken === true) throw new AppError(409, 'LOGIN_TAKEN', `The login name "${login}" is already in use.`);
        let user: UserRow;
        try {
          user = await users.insert(trx, { tenantId, login, displayName: input.displayName.trim(), passwordHash, initialPasswordExpiresAt: expiresAt, createdBy: actor.userId, now });
        } catch (error) {
          // The login may belong to another tenant, which row-level security hides from the check above.
          if ((error as { code?: string }).code === '23505') throw new AppError(409, 'LOGIN_TAKEN', `The login name "${login}" is already in use.`);
          throw error;
        }
        const { added } = await perms.replace(trx, { tenantId, userId: user.id, permissions: input.permissions, grantedBy: actor.userId, now });
        await audit(trx, actor, tenantId, 'user.create', user.id, { login, displayName: user.display_name, permissions: added }, now);
        return { user: view(user, added), initialPassword, initialPasswordExpiresAt: expiresAt };
      });
    },

    /** Replaces a user's rights. Their sessions end at once so the change cannot be outrun. */
    async setPermissions(actor: Actor, scope: TenantScope, userId: string, wanted: readonly Permission[]): Promise<UserView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, scope, async (trx) => {
        const { user, tenantKind } = await loadTarget(trx, userId);
        const current = await perms.listForUser(trx, user.id);
        // Adding needs the right; removing a right the actor lacks is refused too (no silent escalation games).
        assertGrantable(actor, tenantKind, [...new Set([...wanted, ...current.filter((p) => !wanted.includes(p))])]);
        const { added, removed } = await perms.replace(trx, { tenantId: user.tenant_id, userId: user.id, permissions: wanted, grantedBy: actor.userId, now });
        if (added.length + removed.length > 0) {
          await audit(trx, actor, user.tenant_id, 'user.permissions_change', user.id, { added, removed }, now);
          await deps.auth.endSessions(trx, { userId: user.id }, 'rights_changed', { userId: actor.userId, workstation: actor.workstation }, now);
        }
        return view(user, await perms.listForUser(trx, user.id));
      });
    },

    async setDisabled(actor: Actor, scope: TenantScope, userId: string, disabled: boolean): Promise<UserView> {
      const now = deps.clock.now();
      return inTenant(deps.knex, scope, async (trx) => {
        const { user } = await loadTarget(trx, userId);
        if (user.id === actor.userId && disabled) throw new AppError(409, 'CANNOT_DISABLE_SELF', 'You cannot disable your own account.');
        if ((user.disabled_at !== null) !== disabled) {
          await users.update(trx, user.id, { disabled_at: disabled ? now : null, updated_at: now });
          await audit(trx, actor, user.tenant_id, disabled ? 'user.disable' : 'user.enable', user.id, {}, now);
          if (disabled) await deps.auth.endSessions(trx, { userId: user.id }, 'user_disabled', { userId: actor.userId, workstation: actor.workstation }, now);
        }
        const updated = await users.findById(trx, user.id);
        return view(updated ?? user, await perms.listForUser(trx, user.id));
      });
    },

    /** Lifts a brute-force lockout: failures before now no longer count. */
    async unlock(actor: Actor, scope: TenantScope, userId: string): Promise<void> {
      const now = deps.clock.now();
      await inTenant(deps.knex, scope, async (trx) => {
        const { user } = await loadTarget(trx, userId);
        await users.update(trx, user.id, { lockout_reset_at: now, updated_at: now });
        await audit(trx, actor, user.tenant_id, 'user.unlock', user.id, {}, now);
      });
    },

    /** A new one-time password (the old one stops working); the user must change it at the next login. */
    async resetPassword(actor: Actor, scope: TenantScope, userId: string): Promise<{ initialPassword: string; initialPasswordExpiresAt: Date }> {
      const now = deps.clock.now();
      const initialPassword = generateInitialPassword();
      const passwordHash = await hashPassword(initialPassword);
      const expiresAt = new Date(now.getTime() + INITIAL_PASSWORD_VALIDITY_MS);
      return inTenant(deps.knex, scope, async (trx) => {
        const { user } = await loadTarget(trx, userId);
        if (user.auth_source === 'directory') throw passwordManagedByDirectory();
        await trx('password_history').insert({ tenant_id: user.tenant_id, user_id: user.id, password_hash: user.password_hash, created_at: now });
        await users.update(trx, user.id, { password_hash: passwordHash, must_change_password: true, initial_password_expires_at: expiresAt, lockout_reset_at: now, updated_at: now });
        await deps.auth.endSessions(trx, { userId: user.id }, 'password_changed', { userId: actor.userId, workstation: actor.workstation }, now);
        await audit(trx, actor, user.tenant_id, 'user.password_reset', user.id, {}, now);
        return { initialPassword, initialPasswordExpiresAt: expiresAt };
      });
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
