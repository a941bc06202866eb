import { X509Certificate } from 'node:crypto';
import type { Knex } from 'knex';
import type { DirectoryConfigRequest, DirectoryConfigView, DirectorySyncReport, GroupMappingsView } from '../../../../src/shared/api/directory.js';
import { isPermission, OPERATOR_ONLY_PERMISSIONS, type Permission } from '../../../../src/shared/domain/permissions.js';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { appendActorAudit, appendAudit } from '../audit/repository.js';
import { endSessions, type CallerWorkstation } from '../identity/auth-service.js';
import { createPermissionRepository } from '../identity/permissions-repository.js';
import { createUserRepository, type UserRow } from '../identity/users-repository.js';
import { assertGrantable, type Actor } from '../identity/users-service.js';
import { DnSyntaxError, normalizeDn, parseDn } from './dn.js';
import { DirectoryError } from './errors.js';
import { isPlausibleFilter } from './ldap-filter.js';
import { withDirectory, type DirectoryConnection, type DirectorySchema, type DirectoryUser, type FindResult } from './ldap.js';
import { createDirectoryRepository, type DirectoryConfigRow, type MappingRow } from './repository.js';
import { openSecret, sealSecret } from './secret.js';

/** A directory user has no local password: this value is no scrypt hash, so no password ever matches it. */
export const DIRECTORY_PASSWORD_MARKER = '!directory';
const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;

/** What the directory says about a sign-in, before anything local is changed. */
type Found = { user: DirectoryUser; mappedGroups: string[] };
export type DirectoryCheck =
  | { status: 'unknown_login' }
  | { status: 'ambiguous_login' }
  | ({ status: 'wrong_password' } & Found)
  | ({ status: 'directory_disabled' } & Found)
  | ({ status: 'not_in_mapped_groups' } & Found)
  | ({ status: 'ok' } & Found);

/** Why a directory sign-in was refused (audit reason), or nothing when the user may proceed. */
export type DirectoryRefusal = 'unknown_login' | 'ambiguous_login' | 'wrong_password' | 'directory_disabled' | 'not_in_mapped_groups' | 'disabled' | 'login_unusable' | 'login_taken';

export interface AppliedCheck {
  user: UserRow | undefined;
  refusal: DirectoryRefusal | undefined;
  /** The user's directory groups (normalised DNs), for certificate bindings to directory groups. */
  groups: string[];
}

interface Setup {
  config: DirectoryConfigRow;
  mapped: Set<string>;
}

type Who = { userId: string | null; workstation: CallerWorkstation | null };

export function createDirectoryService(deps: { knex: Knex; clock: Clock; key: Buffer | undefined }) {
  const repo = createDirectoryRepository();
  const users = createUserRepository();
  const perms = createPermissionRepository();

  async function loadSetup(tenantId: string): Promise<Setup | undefined> {
    return inTenant(deps.knex, { tenantId }, async (trx) => {
      const config = await repo.findConfig(trx, tenantId);
      if (config === undefined) return undefined;
      return { config, mapped: await repo.mappedGroups(trx, tenantId) };
    });
  }

  function connectionOf(config: DirectoryConfigRow): { conn: DirectoryConnection; schema: DirectorySchema } {
    return {
      conn: {
        url: config.url,
        startTls: config.start_tls,
        caCertPem: config.ca_cert_pem,
        bindDn: config.bind_dn,
        bindPassword: openSecret(deps.key, config.tenant_id, config.bind_password_enc),
        timeoutMs: config.timeout_ms,
      },
      schema: {
        baseDn: config.base_dn,
        userFilter: config.user_filter,
        loginAttribute: config.login_attribute,
        displayNameAttribute: config.display_name_attribute,
        groupBaseDn: config.group_base_dn,
        groupFilter: config.group_filter,
        disabledFilter: config.disabled_filter,
      },
    };
  }

  async function enabledSetup(tenantId: string): Promise<Setup> {
    const setup = await loadSetup(tenantId);
    if (setup === undefined) throw new DirectoryError('DIRECTORY_NOT_CONFIGURED', 'this tenant has no directory configured');
    if (!setup.config.enabled) throw new DirectoryError('DIRECTORY_MISCONFIGURED', 'directory sign-in is switched off for this tenant');
    return setup;
  }

  /** The directory's verdict on an account found by login, without its password. */
  function judge(found: FindResult, mapped: Set<string>): DirectoryCheck {
    if (found.found === 'none') return { status: 'unknown_login' };
    if (found.found === 'many') return { status: 'ambiguous_login' };
    const mappedGroups = found.user.groups.filter((g) => mapped.has(g));
    if (found.user.disabled) return { status: 'directory_disabled', user: found.user, mappedGroups };
    if (mappedGroups.length === 0) return { status: 'not_in_mapped_groups', user: found.user, mappedGroups };
    return { status: 'ok', user: found.user, mappedGroups };
  }

  async function audit(trx: Knex.Transaction, tenantId: string, who: Who, now: Date, action: string, entityId: string, details: Record<string, unknown>) {
    await appendAudit(trx, {
      tenantId,
      at: now,
      actorUserId: who.userId,
      workstationId: who.workstation?.id ?? null,
      sourceIp: who.workstation?.sourceIp ?? null,
      action,
      entity: 'user',
      entityId,
      details,
    });
  }

  /** Disables a local directory user because of the directory; their sessions end at once. */
  async function disableByDirectory(trx: Knex.Transaction, user: UserRow, reason: string, who: Who, now: Date): Promise<UserRow> {
    if (user.disabled_at !== null) return user;
    await users.update(trx, user.id, { disabled_at: now, directory_disabled: true, updated_at: now });
    await audit(trx, user.tenant_id, who, now, 'user.directory_disable', user.id, { reason });
    await endSessions(trx, { userId: user.id }, 'user_disabled', who, now);
    return { ...user, disabled_at: now, directory_disabled: true };
  }

  /** Sets the user's rights to what the mapped groups grant now; returns whether anything changed. */
  async function applyRights(trx: Knex.Transaction, user: UserRow, mappedGroups: readonly string[], who: Who, now: Date): Promise<boolean> {
    const tenant = await trx('tenants').where({ id: user.tenant_id }).first<{ kind: string }>('kind');
    const wanted = (await repo.grantedRights(trx, user.tenant_id, mappedGroups)).filter(isPermission).filter((p) => !OPERATOR_ONLY_PERMISSIONS.has(p) || tenant?.kind === 'operator');
    const { added, removed } = await perms.replace(trx, { tenantId: user.tenant_id, userId: user.id, permissions: wanted, grantedBy: null, now });
    if (added.length + removed.length === 0) return false;
    await audit(trx, user.tenant_id, who, now, 'user.permissions_change', user.id, { added, removed, source: 'directory', groups: mappedGroups });
    await endSessions(trx, { userId: user.id }, 'rights_changed', who, now);
    return true;
  }

  /** Re-enables a user whom the directory (not an administrator) disabled. */
  async function enableByDirectory(trx: Knex.Transaction, user: UserRow, who: Who, now: Date): Promise<UserRow> {
    if (user.disabled_at === null || !user.directory_disabled) return user;
    await users.update(trx, user.id, { disabled_at: null, directory_disabled: false, updated_at: now });
    await audit(trx, user.tenant_id, who, now, 'user.directory_enable', user.id, {});
    return { ...user, disabled_at: null, directory_disabled: false };
  }

  return {
    async isEnabled(tenantId: string): Promise<boolean> {
      return (await loadSetup(tenantId))?.config.enabled === true;
    },

    /**
     * Asks the directory about a sign-in: find the account by login (filter-escaped), read its groups and
     * disabled state as the service account, and only for an enabled account in a mapped group bind as
     * the user with the password. Changes nothing locally; throws DirectoryError when the directory
     * cannot answer.
     */
    async check(tenantId: string, login: string, password: string): Promise<DirectoryCheck> {
      const setup = await enabledSetup(tenantId);
      const { conn, schema } = connectionOf(setup.config);
      return withDirectory(conn, schema, async (session) => {
        const verdict = judge(await session.findUser(login), setup.mapped);
        if (verdict.status !== 'ok') return verdict;
        return (await session.verifyPassword(verdict.user.dn, password)) ? verdict : { ...verdict, status: 'wrong_password' };
      });
    },

    /**
     * Brings the local record in line with the directory's verdict, inside the sign-in transaction:
     * creates or updates the user and their rights on success, disables a local directory user whom the
     * directory disabled, deleted or dropped from every mapped group.
     */
    async apply(trx: Knex.Transaction, input: { tenantId: string; login: string; local: UserRow | undefined; check: DirectoryCheck; workstation: CallerWorkstation; now: Date }): Promise<AppliedCheck> {
      const { check, now, local } = input;
      const who: Who = { userId: null, workstation: input.workstation };
      const isDirectoryUser = local !== undefined && local.auth_source === 'directory';
      if (check.status === 'unknown_login' || check.status === 'ambiguous_login') {
        if (isDirectoryUser && check.status === 'unknown_login') await disableByDirectory(trx, local, 'not_found', who, now);
        return { user: local, refusal: check.status, groups: [] };
      }
      if (check.status === 'directory_disabled' || check.status === 'not_in_mapped_groups') {
        const user = isDirectoryUser ? await disableByDirectory(trx, local, check.status, who, now) : local;
        return { user, refusal: check.status, groups: check.user.groups };
      }
      if (check.status === 'wrong_password') return { user: local, refusal: 'wrong_password', groups: check.user.groups };

      let user: UserRow;
      if (local === undefined) {
        if (!LOGIN_PATTERN.test(input.login)) return { user: undefined, refusal: 'login_unusable', groups: check.user.groups };
        try {
          // A savepoint: the login may be taken in another tenant (hidden by row-level security), and the
          // failed insert must not abort the sign-in transaction that records the refusal.
          user = await trx.transaction(async (sp) => {
            const [row] = await sp('users')
              .insert({
                tenant_id: input.tenantId,
                login: input.login,
                display_name: check.user.displayName,
                password_hash: DIRECTORY_PASSWORD_MARKER,
                must_change_password: false,
                auth_source: 'directory',
                directory_dn: check.user.dn,
                created_at: now,
                updated_at: now,
              })
              .returning<UserRow[]>('*');
            if (row === undefined) throw new Error('insert returned no row');
            return row;
          });
        } catch (error) {
          if ((error as { code?: string }).code === '23505') return { user: undefined, refusal: 'login_taken', groups: check.user.groups };
          throw error;
        }
        await audit(trx, input.tenantId, who, now, 'user.directory_create', user.id, { login: input.login, dn: check.user.dn, groups: check.mappedGroups });
      } else {
        user = local;
        if (user.display_name !== check.user.displayName || user.directory_dn !== check.user.dn) {
          await users.update(trx, user.id, { display_name: check.user.displayName, directory_dn: check.user.dn, updated_at: now });
          user = { ...user, display_name: check.user.displayName };
        }
        user = await enableByDirectory(trx, user, who, now);
        // An administrator's own block stands, whatever the directory says.
        if (user.disabled_at !== null) return { user, refusal: 'disabled', groups: check.user.groups };
      }
      await applyRights(trx, user, check.mappedGroups, who, now);
      return { user, refusal: undefined, groups: check.user.groups };
    },

    /**
     * Compares every local directory user of the tenant with the directory: disables those the directory
     * disabled, deleted or dropped from every mapped group, re-enables those it disabled itself and who
     * are back, and sets everybody's rights from the mapping. The directory is read completely first;
     * if it fails, nothing changes. One transaction for all changes.
     */
    async sync(tenantId: string): Promise<DirectorySyncReport> {
      const now = deps.clock.now();
      const setup = await enabledSetup(tenantId);
      const locals = await inTenant(deps.knex, { tenantId }, (trx) => trx('users').where({ tenant_id: tenantId, auth_source: 'directory' }).orderBy('login').select<UserRow[]>('*'));
      const { conn, schema } = connectionOf(setup.config);
      const verdicts = await withDirectory(conn, schema, async (session) => {
        const out: Array<{ user: UserRow; check: DirectoryCheck }> = [];
        for (const user of locals) out.push({ user, check: judge(await session.findUser(user.login), setup.mapped) });
        return out;
      });
      const report: DirectorySyncReport = { checked: verdicts.length, disabled: 0, enabled: 0, rightsChanged: 0 };
      const who: Who = { userId: null, workstation: null };
      await inTenant(deps.knex, { tenantId }, async (trx) => {
        for (const { user: stale, check } of verdicts) {
          // Re-read inside the transaction: a sign-in may have changed the row since the directory was asked.
          const user = await users.findById(trx, stale.id);
          if (user === undefined) continue;
          if (check.status !== 'ok') {
            const reason = check.status === 'unknown_login' ? 'not_found' : check.status;
            if (user.disabled_at === null) {
              await disableByDirectory(trx, user, reason, who, now);
              report.disabled += 1;
            }
            continue;
          }
          const enabled = await enableByDirectory(trx, user, who, now);
          if (enabled.disabled_at === null && user.disabled_at !== null) report.enabled += 1;
          if (enabled.disabled_at !== null) continue;
          if (await applyRights(trx, enabled, check.mappedGroups, who, now)) report.rightsChanged += 1;
        }
        await appendAudit(trx, { tenantId, at: now, action: 'directory.sync', entity: 'directory', entityId: tenantId, details: { ...report } });
      });
      return report;
    },

    async getConfig(actor: Actor): Promise<DirectoryConfigView | null> {
      const config = await inTenant(deps.knex, { tenantId: actor.tenantId }, (trx) => repo.findConfig(trx, actor.tenantId));
      return config === undefined ? null : configView(config);
    },

    /** Saves the tenant's directory settings (validated; the password sealed), audited without the password. */
    async setConfig(actor: Actor, input: DirectoryConfigRequest): Promise<DirectoryConfigView> {
      const now = deps.clock.now();
      validateConfig(input);
      if (deps.key === undefined && input.bindPassword !== undefined) {
        throw new DirectoryError('DIRECTORY_MISCONFIGURED', 'BOXOFFICE_DIRECTORY_KEY is not set on this server; the directory password cannot be stored');
      }
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const existing = await repo.findConfig(trx, actor.tenantId);
        let sealed: string;
        if (input.bindPassword !== undefined) sealed = sealSecret(deps.key as Buffer, actor.tenantId, input.bindPassword);
        else if (existing !== undefined) sealed = existing.bind_password_enc;
        else throw new DirectoryError('DIRECTORY_CONFIG_INVALID', 'bindPassword is required when the directory is configured for the first time');
        const row: DirectoryConfigRow = {
          tenant_id: actor.tenantId,
          enabled: input.enabled,
          url: input.url.replace(/\/$/, ''),
          start_tls: input.startTls,
          ca_cert_pem: input.caCertPem.trim(),
          bind_dn: input.bindDn.trim(),
          bind_password_enc: sealed,
          base_dn: input.baseDn.trim(),
          user_filter: input.userFilter.trim(),
          login_attribute: input.loginAttribute,
          display_name_attribute: input.displayNameAttribute,
          group_base_dn: input.groupBaseDn.trim(),
          group_filter: input.groupFilter.trim(),
          disabled_filter: input.disabledFilter?.trim() ?? null,
          timeout_ms: input.timeoutMs,
          updated_at: now,
          updated_by: actor.userId,
        };
        await repo.saveConfig(trx, row);
        const { bind_password_enc: _sealed, ca_cert_pem: _ca, ...shown } = row;
        await appendActorAudit(trx, actor, now, {
          action: 'directory.config_set',
          entity: 'directory',
          entityId: actor.tenantId,
          details: { ...shown, updated_at: now.toISOString(), bindPasswordChanged: input.bindPassword !== undefined, caCertificateChanged: existing?.ca_cert_pem !== row.ca_cert_pem },
        });
        return configView(row);
      });
    },

    async getMappings(actor: Actor): Promise<GroupMappingsView> {
      const rows = await inTenant(deps.knex, { tenantId: actor.tenantId }, (trx) => repo.listMappings(trx, actor.tenantId));
      return mappingsView(rows);
    },

    /**
     * Replaces the tenant's group → rights mapping. Adding or removing a right needs the actor to hold it
     * (the same rule as granting it to a user), and the operator-only rights stay with the operator.
     */
    async setMappings(actor: Actor, mappings: ReadonlyArray<{ groupDn: string; permissions: readonly Permission[] }>): Promise<GroupMappingsView> {
      const now = deps.clock.now();
      const wanted = new Map<string, { groupDn: string; permission: Permission }>();
      for (const m of mappings) {
        let groupDn: string;
        try {
          groupDn = normalizeDn(m.groupDn);
        } catch (error) {
          if (error instanceof DnSyntaxError) throw new DirectoryError('DIRECTORY_CONFIG_INVALID', `group DN "${m.groupDn}": ${error.message}`);
          throw error;
        }
        for (const permission of m.permissions) wanted.set(`${groupDn}\n${permission}`, { groupDn, permission });
      }
      return inTenant(deps.knex, { tenantId: actor.tenantId }, async (trx) => {
        const config = await repo.findConfig(trx, actor.tenantId);
        if (config === undefined) throw new DirectoryError('DIRECTORY_NOT_CONFIGURED', 'configure the directory before mapping its groups');
        const tenant = await trx('tenants').where({ id: actor.tenantId }).first<{ kind: string }>('kind');
        const current = await repo.listMappings(trx, actor.tenantId);
        const key = (r: { groupDn: string; permission: string }) => `${r.groupDn}\n${r.permission}`;
        const currentKeys = new Set(current.map((r) => key({ groupDn: r.group_dn, permission: r.permission })));
        const added = [...wanted.values()].filter((w) => !currentKeys.has(key(w)));
        const removed = current.filter((r) => !wanted.has(key({ groupDn: r.group_dn, permission: r.permission }))).map((r) => ({ groupDn: r.group_dn, permission: r.permission }));
        assertGrantable(actor, tenant?.kind ?? 'outlet', [...new Set([...added, ...removed].map((r) => r.permission).filter(isPermission))]);
        await repo.deleteMappings(trx, actor.tenantId, removed);
        await repo.insertMappings(trx, added.map((a) => ({ tenant_id: actor.tenantId, group_dn: a.groupDn, permission: a.permission, granted_by: actor.userId, granted_at: now })));
        if (added.length + removed.length > 0) {
          await appendActorAudit(trx, actor, now, { action: 'directory.mappings_set', entity: 'directory', entityId: actor.tenantId, details: { added, removed } });
        }
        return mappingsView(await repo.listMappings(trx, actor.tenantId));
      });
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;

function configView(c: DirectoryConfigRow): DirectoryConfigView {
  return {
    enabled: c.enabled,
    url: c.url,
    startTls: c.start_tls,
    caCertPem: c.ca_cert_pem,
    bindDn: c.bind_dn,
    bindPasswordSet: c.bind_password_enc.length > 0,
    baseDn: c.base_dn,
    userFilter: c.user_filter,
    loginAttribute: c.login_attribute,
    displayNameAttribute: c.display_name_attribute,
    groupBaseDn: c.group_base_dn,
    groupFilter: c.group_filter,
    disabledFilter: c.disabled_filter,
    timeoutMs: c.timeout_ms,
    updatedAt: c.updated_at.toISOString(),
  };
}

function mappingsView(rows: MappingRow[]): GroupMappingsView {
  const byGroup = new Map<string, string[]>();
  for (const r of rows) byGroup.set(r.group_dn, [...(byGroup.get(r.group_dn) ?? []), r.permission]);
  return { mappings: [...byGroup].map(([groupDn, permissions]) => ({ groupDn, permissions: permissions.sort() })) };
}

/** Refuses settings that cannot work, when they are saved rather than at the first sign-in. */
export function validateConfig(input: DirectoryConfigRequest): void {
  const invalid = (message: string) => new DirectoryError('DIRECTORY_CONFIG_INVALID', message);
  const url = new URL(input.url);
  if (url.protocol === 'ldap:' && !input.startTls) throw invalid('ldap:// needs startTls: true (plain LDAP is never used); or use ldaps://');
  if (url.protocol === 'ldaps:' && input.startTls) throw invalid('ldaps:// is already TLS; startTls must be false');
  if (url.username !== '' || url.password !== '') throw invalid('the URL must not carry credentials');
  try {
    const cert = new X509Certificate(input.caCertPem);
    if (!cert.ca) throw invalid('caCertPem is not a CA certificate');
  } catch (error) {
    if (error instanceof DirectoryError) throw error;
    throw invalid('caCertPem is not a PEM certificate');
  }
  for (const [name, dn] of [['bindDn', input.bindDn], ['baseDn', input.baseDn], ['groupBaseDn', input.groupBaseDn]] as const) {
    try {
      if (parseDn(dn).length === 0) throw invalid(`${name} is empty`);
    } catch (error) {
      if (error instanceof DnSyntaxError) throw invalid(`${name}: ${error.message}`);
      throw error;
    }
  }
  for (const [name, filter] of [['userFilter', input.userFilter], ['groupFilter', input.groupFilter.replaceAll('{dn}', 'x')], ['disabledFilter', input.disabledFilter]] as const) {
    if (filter !== null && !isPlausibleFilter(filter)) throw invalid(`${name} is not an LDAP filter in parentheses: ${filter}`);
  }
  if (!input.groupFilter.includes('{dn}')) throw invalid('groupFilter must contain {dn} (the user\'s DN), e.g. (member={dn})');
}
