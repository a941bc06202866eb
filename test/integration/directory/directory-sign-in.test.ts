import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../server/src/clock.js';
import { createDirectoryService } from '../../../server/src/modules/directory/service.js';
import { createAuthService } from '../../../server/src/modules/identity/auth-service.js';
import { createPasswordPolicy } from '../../../server/src/modules/identity/password-policy.js';
import { testBackends } from '../../support/backends.js';
import { apiClient, createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { BASE_DN, SERVICE_DN, SERVICE_PASSWORD, setDisabled, setMember, startSlapd, type Slapd } from '../../support/slapd.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * Directory sign-in against a real OpenLDAP (test/support/slapd.ts, fixture test/fixtures/ldap/directory.ldif):
 * sign-in creates and updates the local user and its rights from the group mapping, wrong passwords and
 * disabled accounts are refused, group changes take effect at the next sign-in and by sync, the mapping
 * never grants more than its author holds, injection names find nobody, and a directory that is down is
 * a coded error without any fallback.
 */
const CLERKS = 'cn=Box Office Clerks,ou=groups,dc=example,dc=test';
const MANAGERS = 'cn=Box Office Managers,ou=groups,dc=example,dc=test';
const KITCHEN = 'cn=Kitchen,ou=groups,dc=example,dc=test';
const person = (uid: string) => `uid=${uid},ou=people,${BASE_DN}`;
const PASSWORDS: Record<string, string> = { anna: 'Anna-Directory-1', bert: 'Bert-Directory-1', carla: 'Carla-Directory-1', dora: 'Dora-Directory-1', erik: 'Erik-Directory-1', admin: 'Admin-Directory-1', twin: 'Twin-Directory-1' };

let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(async () => {
  await slapd?.close();
});

for (const backend of testBackends()) {
  describe(`directory sign-in (${backend})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let managerId: string;
    const directoryKey = randomBytes(32);

    const config = (overrides: Record<string, unknown> = {}) => ({
      enabled: true,
      url: slapd.ldapsUrl,
      startTls: false,
      caCertPem: slapd.caCertPem,
      bindDn: SERVICE_DN,
      bindPassword: SERVICE_PASSWORD,
      baseDn: `ou=people,${BASE_DN}`,
      userFilter: '(objectClass=inetOrgPerson)',
      loginAttribute: 'uid',
      displayNameAttribute: 'cn',
      groupBaseDn: `ou=groups,${BASE_DN}`,
      groupFilter: '(member={dn})',
      disabledFilter: '(employeeType=disabled)',
      timeoutMs: 3000,
      ...overrides,
    });
    const signIn = (login: string, password = PASSWORDS[login] ?? 'x', ws = server.workstation) => apiClient(server, ws).request('POST', '/api/v1/auth/login', { login, password });
    const localUser = (login: string) =>
      server.tdb.asAdmin((db) => db('users').where({ login }).first<{ id: string; auth_source: string; disabled_at: Date | null; directory_disabled: boolean; must_change_password: boolean; display_name: string } | undefined>('*'));
    const rights = async (login: string) => {
      const user = await localUser(login);
      return server.tdb.asAdmin((db) => db('user_permissions').where({ user_id: user?.id }).orderBy('permission').pluck<string[]>('permission'));
    };
    const lastAudit = (action: string) =>
      server.tdb.asAdmin((db) => db('audit_log').where({ action }).orderBy('at', 'desc').orderBy('seq', 'desc').first<{ details: Record<string, unknown>; entity_id: string | null; actor_user_id: string | null } | undefined>('details', 'entity_id', 'actor_user_id'));

    beforeAll(async () => {
      server = await startTestServer(backend, { directoryKey });
      const manager = await createUser(server, server.tenants.outlet, 'chefin', ['users.manage', 'workstations.manage', 'sales.sell', 'tickets.print', 'reports.view']);
      managerId = manager.id;
      admin = await loginAs(server, server.workstation, manager);
      expect((await admin.request('GET', '/api/v1/directory/config')).json).toEqual({ config: null });
      expect((await admin.request('POST', '/api/v1/directory/sync')).json.code).toBe('DIRECTORY_NOT_CONFIGURED');
      expect((await admin.request('PUT', '/api/v1/directory/mappings', { mappings: [] })).json.code).toBe('DIRECTORY_NOT_CONFIGURED');
      const saved = await admin.request('PUT', '/api/v1/directory/config', config());
      expect(saved.status, saved.body).toBe(200);
      const mapped = await admin.request('PUT', '/api/v1/directory/mappings', {
        mappings: [
          { groupDn: CLERKS, permissions: ['sales.sell', 'tickets.print'] },
          { groupDn: 'CN=Box Office Managers, OU=groups, DC=example, DC=test', permissions: ['sales.sell', 'reports.view'] },
        ],
      });
      expect(mapped.status, mapped.body).toBe(200);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('keeps the bind password write-only and sealed; refuses plain LDAP and a mapping beyond the administrator\'s rights', async () => {
      const read = await admin.request('GET', '/api/v1/directory/config');
      expect(read.status).toBe(200);
      expect(read.json.config).toMatchObject({ url: slapd.ldapsUrl, bindPasswordSet: true, bindDn: SERVICE_DN });
      expect(read.body).not.toContain(SERVICE_PASSWORD);
      const stored = await server.tdb.asAdmin((db) => db('directory_configs').first<{ bind_password_enc: string }>('bind_password_enc'));
      expect(stored.bind_password_enc).toMatch(/^v1\./);
      expect(stored.bind_password_enc).not.toContain(SERVICE_PASSWORD);
      const audited = await lastAudit('directory.config_set');
      expect(JSON.stringify(audited)).not.toContain(SERVICE_PASSWORD);
      expect(audited?.details).toMatchObject({ bindPasswordChanged: true, url: slapd.ldapsUrl });

      const plain = await admin.request('PUT', '/api/v1/directory/config', config({ url: slapd.ldapUrl, startTls: false }));
      expect(plain.status).toBe(400);
      expect(plain.json.code).toBe('DIRECTORY_CONFIG_INVALID');
      const badFilter = await admin.request('PUT', '/api/v1/directory/config', config({ userFilter: '(objectClass=inetOrgPerson' }));
      expect(badFilter.json.code).toBe('DIRECTORY_CONFIG_INVALID');

      const mappings = await admin.request('GET', '/api/v1/directory/mappings');
      expect(mappings.json.mappings).toEqual([
        { groupDn: 'cn=box office clerks,ou=groups,dc=example,dc=test', permissions: ['sales.sell', 'tickets.print'] },
        { groupDn: 'cn=box office managers,ou=groups,dc=example,dc=test', permissions: ['reports.view', 'sales.sell'] },
      ]);
      for (const permission of ['events.manage', 'tenants.manage']) {
        const beyond = await admin.request('PUT', '/api/v1/directory/mappings', { mappings: [...mappings.json.mappings, { groupDn: CLERKS, permissions: [permission] }] });
        expect(beyond.status).toBe(403);
        expect(beyond.json.code).toBe('GRANT_EXCEEDS_OWN_RIGHTS');
      }
      expect((await admin.request('GET', '/api/v1/directory/mappings')).json).toEqual(mappings.json);
    });

    it('signs a directory user in: the local record and rights come from the directory, no password rules, one session', async () => {
      const first = await signIn('anna');
      expect(first.status, first.body).toBe(200);
      expect(first.json).toMatchObject({ mustChangePassword: false, user: { login: 'anna', displayName: 'Anna Albers' }, permissions: ['sales.sell', 'tickets.print'] });
      const local = await localUser('anna');
      expect(local).toMatchObject({ auth_source: 'directory', directory_disabled: false, must_change_password: false, disabled_at: null });
      expect((await lastAudit('user.directory_create'))?.entity_id).toBe(local?.id);
      expect((await lastAudit('auth.login'))?.details).toMatchObject({ login: 'anna', source: 'directory' });

      const anna = apiClient(server, server.workstation, first.json.token);
      expect((await anna.request('GET', '/api/v1/auth/me')).json.user.login).toBe('anna');
      const change = await anna.request('POST', '/api/v1/auth/password', { currentPassword: PASSWORDS['anna'], newPassword: 'Ganz-Neues-Passwort-42' });
      expect(change.status).toBe(409);
      expect(change.json.code).toBe('PASSWORD_MANAGED_BY_DIRECTORY');
      const reset = await admin.request('POST', `/api/v1/users/${local?.id}/reset-password`);
      expect(reset.json.code).toBe('PASSWORD_MANAGED_BY_DIRECTORY');

      // A second sign-in ends the first session (one session per user), with its 8-hour limit.
      const ws2 = await server.registerWorkstation(server.tenants.outlet, 'kasse-dir-2');
      const second = await signIn('anna', PASSWORDS['anna'], ws2);
      expect(second.status).toBe(200);
      expect(new Date(second.json.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(8 * 3600_000);
      const ended = await anna.request('GET', '/api/v1/auth/me');
      expect(ended.json).toMatchObject({ code: 'SESSION_ENDED', reason: 'superseded' });
    });

    it('refuses a wrong password and counts it against the account', async () => {
      const wrong = await signIn('anna', 'Anna-Directory-2');
      expect(wrong.status).toBe(401);
      expect(wrong.json.code).toBe('INVALID_CREDENTIALS');
      expect((await lastAudit('auth.login_failed'))?.details).toMatchObject({ login: 'anna', reason: 'wrong_password', source: 'directory' });
      const anna = await localUser('anna');
      const attempts = await server.tdb.asAdmin((db) => db('login_attempts').where({ user_id: anna?.id, outcome: 'failure' }).count<Array<{ count: string | number }>>('* as count'));
      expect(Number(attempts[0]?.count)).toBeGreaterThanOrEqual(1);
      // An empty-looking password never becomes an anonymous bind.
      expect((await signIn('anna', ' ')).status).toBe(401);
    });

    it('refuses a disabled directory account and disables its local record; enabled again, it signs in again', async () => {
      const carla = await signIn('carla');
      expect(carla.status).toBe(401);
      expect((await lastAudit('auth.login_failed'))?.details).toMatchObject({ login: 'carla', reason: 'directory_disabled' });
      expect(await localUser('carla')).toBeUndefined();

      const bert = await signIn('bert');
      expect(bert.status).toBe(200);
      const session = apiClient(server, server.workstation, bert.json.token);
      await setDisabled(slapd, person('bert'), true);
      try {
        const refused = await signIn('bert');
        expect(refused.status).toBe(401);
        expect(refused.json.code).toBe('INVALID_CREDENTIALS');
        expect((await lastAudit('auth.login_failed'))?.details).toMatchObject({ login: 'bert', reason: 'directory_disabled' });
        expect(await localUser('bert')).toMatchObject({ directory_disabled: true });
        expect((await localUser('bert'))?.disabled_at).not.toBeNull();
        expect((await session.request('GET', '/api/v1/auth/me')).json).toMatchObject({ code: 'SESSION_ENDED', reason: 'user_disabled' });
      } finally {
        await setDisabled(slapd, person('bert'), false);
      }
      const back = await signIn('bert');
      expect(back.status, back.body).toBe(200);
      expect(await localUser('bert')).toMatchObject({ directory_disabled: false, disabled_at: null });

      // An administrator's own block is not lifted by the directory.
      const bertId = (await localUser('bert'))?.id;
      expect((await admin.request('POST', `/api/v1/users/${bertId}/disable`)).status).toBe(200);
      expect((await signIn('bert')).status).toBe(401);
      expect((await lastAudit('auth.login_failed'))?.details).toMatchObject({ login: 'bert', reason: 'disabled' });
      expect((await admin.request('POST', `/api/v1/users/${bertId}/enable`)).status).toBe(200);
    });

    it('applies group changes at the next sign-in: other rights, and no mapped group disables', async () => {
      expect((await signIn('bert')).json.permissions).toEqual(['sales.sell', 'tickets.print']);
      await setMember(slapd, CLERKS, person('bert'), false);
      await setMember(slapd, MANAGERS, person('bert'), true);
      try {
        const moved = await signIn('bert');
        expect(moved.status).toBe(200);
        expect(moved.json.permissions).toEqual(['reports.view', 'sales.sell']);
        expect(await rights('bert')).toEqual(['reports.view', 'sales.sell']);
        expect((await lastAudit('user.permissions_change'))?.details).toMatchObject({ added: ['reports.view'], removed: ['tickets.print'], source: 'directory' });

        await setMember(slapd, MANAGERS, person('bert'), false);
        const gone = await signIn('bert');
        expect(gone.status).toBe(401);
        expect((await lastAudit('auth.login_failed'))?.details).toMatchObject({ login: 'bert', reason: 'not_in_mapped_groups' });
        expect(await localUser('bert')).toMatchObject({ directory_disabled: true });
      } finally {
        await setMember(slapd, CLERKS, person('bert'), true);
      }
      expect((await signIn('bert')).status).toBe(200);

      // In no mapped group at all: refused, and nobody is created.
      expect((await signIn('dora')).status).toBe(401);
      expect((await lastAudit('auth.login_failed'))?.details).toMatchObject({ login: 'dora', reason: 'not_in_mapped_groups' });
      expect(await localUser('dora')).toBeUndefined();
    });

    it('applies group changes by sync: leaving every mapped group disables, coming back enables with the mapped rights', async () => {
      const erik = await signIn('erik');
      expect(erik.status).toBe(200);
      expect(erik.json.permissions).toEqual(['reports.view', 'sales.sell']);
      const session = apiClient(server, server.workstation, erik.json.token);
      await setMember(slapd, MANAGERS, person('erik'), false);
      try {
        const sync = await admin.request('POST', '/api/v1/directory/sync');
        expect(sync.status, sync.body).toBe(200);
        expect(sync.json.disabled).toBe(1);
        expect(await localUser('erik')).toMatchObject({ directory_disabled: true });
        expect((await session.request('GET', '/api/v1/auth/me')).json).toMatchObject({ code: 'SESSION_ENDED', reason: 'user_disabled' });
        expect((await lastAudit('user.directory_disable'))?.details).toMatchObject({ reason: 'not_in_mapped_groups' });
        expect((await lastAudit('directory.sync'))?.details).toMatchObject({ disabled: 1 });
      } finally {
        await setMember(slapd, MANAGERS, person('erik'), true);
      }
      await setMember(slapd, CLERKS, person('erik'), true);
      try {
        const again = await admin.request('POST', '/api/v1/directory/sync');
        expect(again.json).toMatchObject({ enabled: 1 });
        expect(await localUser('erik')).toMatchObject({ directory_disabled: false, disabled_at: null });
        expect(await rights('erik')).toEqual(['reports.view', 'sales.sell', 'tickets.print']);
      } finally {
        await setMember(slapd, CLERKS, person('erik'), false);
      }
    });

    it('never grants more than the mapping\'s author holds, nor tenants.manage outside the operator', async () => {
      // Rows as they would stand after the author lost a right, and one from the command line.
      await server.tdb.asAdmin(async (db) => {
        await db('directory_group_mappings').insert({ tenant_id: server.tenants.outlet, group_dn: 'cn=box office clerks,ou=groups,dc=example,dc=test', permission: 'events.manage', granted_by: managerId, granted_at: new Date() });
        await db('directory_group_mappings').insert({ tenant_id: server.tenants.outlet, group_dn: 'cn=box office clerks,ou=groups,dc=example,dc=test', permission: 'tenants.manage', granted_by: null, granted_at: new Date() });
        await db('directory_group_mappings').insert({ tenant_id: server.tenants.outlet, group_dn: 'cn=kitchen,ou=groups,dc=example,dc=test', permission: 'sales.cancel', granted_by: managerId, granted_at: new Date() });
      });
      try {
        const anna = await signIn('anna');
        expect(anna.status).toBe(200);
        expect(anna.json.permissions).toEqual(['sales.sell', 'tickets.print']);
        // The manager loses tickets.print: the mapping's tickets.print stops counting.
        await server.tdb.asAdmin((db) => db('user_permissions').where({ user_id: managerId, permission: 'tickets.print' }).delete());
        expect((await signIn('anna')).json.permissions).toEqual(['sales.sell']);
      } finally {
        await server.tdb.asAdmin(async (db) => {
          await db('directory_group_mappings').whereIn('permission', ['events.manage', 'tenants.manage']).delete();
          await db('directory_group_mappings').where({ group_dn: 'cn=kitchen,ou=groups,dc=example,dc=test' }).delete();
          await db('user_permissions').insert({ tenant_id: server.tenants.outlet, user_id: managerId, permission: 'tickets.print', granted_at: new Date() });
        });
      }
      expect(KITCHEN).toContain('Kitchen');
    });

    it('finds nobody for filter injection names and NUL bytes (the filter is escaped)', async () => {
      // Unescaped, "*" would match everybody (ambiguous) and "admin)(|(uid=*" the admin entry: the audit
      // reason tells what the directory search found.
      expect((await signIn('twin')).status).toBe(401);
      expect((await lastAudit('auth.login_failed'))?.details).toMatchObject({ reason: 'ambiguous_login' });
      // The same login code as the route, called directly: over HTTP the intrusion shield blocks a source
      // that sends such payloads before they reach the sign-in, and this test is about the escaping.
      const auth = createAuthService({
        knex: server.tdb.db.knex,
        clock: systemClock,
        passwordPolicy: createPasswordPolicy(),
        sessions: { absoluteMs: 8 * 3600_000, idleMs: 3600_000 },
        directory: createDirectoryService({ knex: server.tdb.db.knex, clock: systemClock, key: directoryKey }),
      });
      const ws = { id: server.workstation.id, tenantId: server.tenants.outlet, fingerprint: server.workstation.fingerprint256, sourceIp: '192.0.2.7' };
      const names = ['*', '*)(uid=*', 'admin)(|(uid=*', '*)(|(objectClass=*', 'an*', 'anna)(uid=bert', 'anna\u0000', '\u0000', 'anna\\29', 'admin*)(&'];
      for (const name of names) {
        await expect(auth.login(ws, name, PASSWORDS['anna'] as string), JSON.stringify(name)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
        const failed = await lastAudit('auth.login_failed');
        expect(failed?.details, JSON.stringify(name)).toMatchObject({ reason: 'unknown_login', source: 'directory' });
        expect(failed?.entity_id).toBeNull();
      }
      expect((await lastAudit('auth.login_failed'))?.details).toMatchObject({ login: 'admin*)(&' });
      // The control character is kept out of the database (PostgreSQL text cannot hold NUL).
      const nul = await server.tdb.asAdmin((db) => db('login_attempts').where({ source_ip: '192.0.2.7' }).whereLike('login', 'anna%').pluck<string[]>('login'));
      expect(nul).toContain('anna\uFFFD');
      const created = await server.tdb.asAdmin((db) => db('users').where({ auth_source: 'directory' }).orderBy('login').pluck<string[]>('login'));
      expect(created.every((l) => ['anna', 'bert', 'erik'].includes(l))).toBe(true);
      // And the proper name still works through the same path.
      await expect(auth.login(ws, 'anna', PASSWORDS['anna'] as string)).resolves.toMatchObject({ user: { login: 'anna' } });
    });

    it('signs in over StartTLS; a directory certificate from another CA and a directory that is down are coded errors, never a fallback', async () => {
      expect((await admin.request('PUT', '/api/v1/directory/config', config({ url: slapd.ldapUrl, startTls: true, bindPassword: undefined }))).status).toBe(200);
      expect((await signIn('anna')).status).toBe(200);

      expect((await admin.request('PUT', '/api/v1/directory/config', config({ caCertPem: slapd.foreignCaCertPem, bindPassword: undefined }))).status).toBe(200);
      const untrusted = await signIn('anna');
      expect(untrusted.status).toBe(503);
      expect(untrusted.json.code).toBe('DIRECTORY_UNAVAILABLE');
      expect((await lastAudit('auth.login_failed'))?.details).toMatchObject({ reason: 'directory_error', code: 'DIRECTORY_UNAVAILABLE' });
      expect((await admin.request('PUT', '/api/v1/directory/config', config({ bindPassword: undefined }))).status).toBe(200);

      const wrongService = await admin.request('PUT', '/api/v1/directory/config', config({ bindPassword: 'not-the-password' }));
      expect(wrongService.status).toBe(200);
      expect((await signIn('anna')).json.code).toBe('DIRECTORY_MISCONFIGURED');
      expect((await admin.request('PUT', '/api/v1/directory/config', config())).status).toBe(200);

      await slapd.stop();
      try {
        const down = await signIn('anna');
        expect(down.status).toBe(503);
        expect(down.json.code).toBe('DIRECTORY_UNAVAILABLE');
        const audited = await lastAudit('auth.login_failed');
        expect(audited?.details).toMatchObject({ login: 'anna', reason: 'directory_error', code: 'DIRECTORY_UNAVAILABLE' });
        // A directory user has no local password to fall back to, a new login name no local check either.
        expect((await signIn('newcomer', 'Whatever-1')).json.code).toBe('DIRECTORY_UNAVAILABLE');
        const sync = await admin.request('POST', '/api/v1/directory/sync');
        expect(sync.status).toBe(503);
        expect(sync.json.code).toBe('DIRECTORY_UNAVAILABLE');
        expect(await localUser('anna')).toMatchObject({ disabled_at: null });
      } finally {
        await slapd.start();
      }
      expect((await signIn('anna')).status).toBe(200);
    });
  });
}
