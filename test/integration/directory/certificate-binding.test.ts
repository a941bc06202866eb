import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueWorkstation, type IssuedWorkstation } from '../../../server/src/modules/workstations/service.js';
import { testBackends } from '../../support/backends.js';
import { apiClient, createUser, loginAs, type ApiClient, type TestUser } from '../../support/identity.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * Certificates bound to people: a workstation that names who may sign in with it refuses everybody else
 * (after the password is proven, with an audit row); a person's own certificate signs in only its owner,
 * and its owner only with it.
 */
for (const backend of testBackends()) {
  describe(`certificates bound to people (${backend})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let bound: Awaited<ReturnType<TestServer['registerWorkstation']>>;

    const signIn = (ws: { certPem: string; keyPem: string }, user: Pick<TestUser, 'login' | 'password'>) =>
      apiClient(server, ws).request('POST', '/api/v1/auth/login', { login: user.login, password: user.password });
    const lastAudit = (action: string) =>
      server.tdb.asAdmin((db) => db('audit_log').where({ action }).orderBy('at', 'desc').orderBy('seq', 'desc').first<{ details: Record<string, unknown>; actor_user_id: string | null; workstation_id: string | null } | undefined>('details', 'actor_user_id', 'workstation_id'));
    const clientOf = (issued: IssuedWorkstation) => ({
      certPem: issued.certPem,
      keyPem: createPrivateKey({ key: issued.encryptedKeyPem, passphrase: issued.passphrase }).export({ type: 'pkcs8', format: 'pem' }).toString(),
    });

    beforeAll(async () => {
      server = await startTestServer(backend);
      const manager = await createUser(server, server.tenants.outlet, 'leitung', ['users.manage', 'workstations.manage', 'sales.sell']);
      admin = await loginAs(server, server.workstation, manager);
      alice = await createUser(server, server.tenants.outlet, 'alice', ['sales.sell']);
      bob = await createUser(server, server.tenants.outlet, 'bob', ['sales.sell']);
      carol = await createUser(server, server.tenants.outlet, 'carol', ['sales.sell']);
      bound = await server.registerWorkstation(server.tenants.outlet, 'kasse-alice');
    });
    afterAll(async () => {
      await server?.close();
    });

    it('a workstation bound to named users admits them and refuses everybody else with a reason and an audit row', async () => {
      expect((await signIn(bound, bob)).status).toBe(200);
      const set = await admin.request('PUT', `/api/v1/workstations/${bound.id}/sign-in-rules`, { userIds: [alice.id], groupDns: ['CN=Box Office Clerks, OU=groups, DC=example, DC=test'] });
      expect(set.status, set.body).toBe(200);
      expect(set.json).toEqual({ restricted: true, userIds: [alice.id], groupDns: ['cn=box office clerks,ou=groups,dc=example,dc=test'] });
      expect((await lastAudit('workstation.sign_in_rules_set'))?.details).toMatchObject({ name: 'kasse-alice', before: { restricted: false }, after: { restricted: true } });

      expect((await signIn(bound, alice)).status).toBe(200);
      const refused = await signIn(bound, bob);
      expect(refused.status).toBe(403);
      expect(refused.json).toMatchObject({ code: 'CERTIFICATE_NOT_FOR_USER', reason: 'workstation_bound_to_others' });
      const audited = await lastAudit('auth.login_refused');
      expect(audited).toMatchObject({ actor_user_id: bob.id, workstation_id: bound.id, details: { login: 'bob', reason: 'workstation_bound_to_others' } });
      // Only after the password: a wrong one is the usual answer, which tells nothing about the binding.
      const wrong = await signIn(bound, { login: 'bob', password: 'Falsches-Passwort-1' });
      expect(wrong.status).toBe(401);
      expect(wrong.json.code).toBe('INVALID_CREDENTIALS');
      // Bob still signs in elsewhere, and without rules everybody may sign in here again.
      expect((await signIn(server.workstation, bob)).status).toBe(200);
      expect((await admin.request('PUT', `/api/v1/workstations/${bound.id}/sign-in-rules`, { userIds: [], groupDns: [] })).json.restricted).toBe(false);
      expect((await signIn(bound, bob)).status).toBe(200);
    });

    it('refuses rules naming users of another tenant, malformed group DNs and other tenants\' workstations', async () => {
      const foreignUser = await createUser(server, server.tenants.outletB, 'fremd', []);
      const foreignWs = await server.registerWorkstation(server.tenants.outletB, 'kasse-b');
      expect((await admin.request('PUT', `/api/v1/workstations/${bound.id}/sign-in-rules`, { userIds: [foreignUser.id], groupDns: [] })).status).toBe(404);
      expect((await admin.request('PUT', `/api/v1/workstations/${bound.id}/sign-in-rules`, { userIds: [], groupDns: ['not a dn'] })).json.code).toBe('VALIDATION_FAILED');
      expect((await admin.request('PUT', `/api/v1/workstations/${foreignWs.id}/sign-in-rules`, { userIds: [], groupDns: [] })).status).toBe(404);
      expect((await admin.request('GET', `/api/v1/workstations/${bound.id}/sign-in-rules`)).json.restricted).toBe(false);
    });

    it('a user certificate signs in its owner only, and its owner only with it', async () => {
      const issued = await issueWorkstation(server.tdb.db.knex, server.pki.ca, { tenantId: server.tenants.outlet }, { tenantCode: 'outlet-a', name: '', userLogin: 'carol', now: new Date(), validityDays: 10 });
      expect(issued.workstation).toMatchObject({ name: 'user:carol', kind: 'user', user_id: carol.id });
      expect((await lastAudit('workstation.issue_user'))?.details).toMatchObject({ name: 'user:carol', userId: carol.id });
      const carolsCert = clientOf(issued);

      const own = await signIn(carolsCert, carol);
      expect(own.status, own.body).toBe(200);
      const session = apiClient(server, carolsCert, own.json.token);
      expect((await session.request('GET', '/api/v1/auth/me')).json.user.login).toBe('carol');

      const other = await signIn(carolsCert, alice);
      expect(other.status).toBe(403);
      expect(other.json).toMatchObject({ code: 'CERTIFICATE_NOT_FOR_USER', reason: 'user_certificate_of_another_user' });
      expect(await lastAudit('auth.login_refused')).toMatchObject({ actor_user_id: alice.id, details: { reason: 'user_certificate_of_another_user' } });

      const shared = await signIn(server.workstation, carol);
      expect(shared.status).toBe(403);
      expect(shared.json).toMatchObject({ code: 'USER_CERTIFICATE_REQUIRED', reason: 'user_certificate_required' });
      expect(await lastAudit('auth.login_refused')).toMatchObject({ actor_user_id: carol.id, workstation_id: server.workstation.id });

      // A user certificate takes no sign-in rules; a second live one for the same person is refused.
      const rules = await admin.request('PUT', `/api/v1/workstations/${issued.workstation.id}/sign-in-rules`, { userIds: [alice.id], groupDns: [] });
      expect(rules.status).toBe(409);
      expect(rules.json.code).toBe('WORKSTATION_IS_USER_CERTIFICATE');
      await expect(issueWorkstation(server.tdb.db.knex, server.pki.ca, { tenantId: server.tenants.outlet }, { tenantCode: 'outlet-a', name: '', userLogin: 'carol', now: new Date(), validityDays: 10 })).rejects.toMatchObject({
        code: 'WORKSTATION_NAME_TAKEN',
      });
      await expect(issueWorkstation(server.tdb.db.knex, server.pki.ca, { tenantId: server.tenants.outlet }, { tenantCode: 'outlet-a', name: '', userLogin: 'niemand', now: new Date(), validityDays: 10 })).rejects.toMatchObject({
        code: 'USER_NOT_FOUND',
      });

      // Revoked: the certificate is refused, and carol signs in at shared workstations again.
      expect((await admin.request('POST', `/api/v1/workstations/${issued.workstation.id}/revoke`, { reason: 'lost' })).status).toBe(204);
      expect((await session.request('GET', '/api/v1/auth/me')).status).toBe(403);
      expect((await signIn(server.workstation, carol)).status).toBe(200);
    });
  });
}
