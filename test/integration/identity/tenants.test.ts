import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src/shared/domain/permissions.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, STRONG_PASSWORD } from '../../support/identity.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

for (const backend of testBackends()) {
  describe(`tenant management by the operator (${backend})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => {
      await server.close();
    });

    it('creates an outlet and its first manager, who then manages only its own employees', async () => {
      const opWs = await server.registerWorkstation(server.tenants.operator, 'backoffice-1');
      const operator = await loginAs(server, opWs, await createUser(server, server.tenants.operator, 'op.admin', [...PERMISSIONS]));
      const created = await operator.request('POST', '/api/v1/tenants', { kind: 'outlet', code: 'vvk-neu', name: 'VVK Neu' });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ kind: 'outlet', code: 'vvk-neu', parentId: server.tenants.operator });
      expect((await operator.request('POST', '/api/v1/tenants', { kind: 'outlet', code: 'vvk-neu', name: 'Doppelt' })).json.code).toBe('TENANT_CODE_TAKEN');
      expect((await operator.request('POST', '/api/v1/tenants', { kind: 'operator', code: 'zweiter', name: 'Zweiter Betreiber' })).status).toBe(400);

      const list = await operator.request('GET', '/api/v1/tenants');
      expect(list.json.map((t: { code: string }) => t.code).sort()).toEqual(['op', 'outlet-a', 'outlet-b', 'vvk-neu']);

      const manager = await operator.request('POST', '/api/v1/users', {
        tenantId: created.json.id,
        login: 'neu.leitung',
        displayName: 'Leitung VVK Neu',
        permissions: ['users.manage', 'sales.sell', 'tickets.print'],
      });
      expect(manager.status).toBe(201);
      expect(manager.json.user.tenantId).toBe(created.json.id);

      const newWs = await server.registerWorkstation(created.json.id, 'kasse-1');
      const first = await loginAs(server, newWs, { login: 'neu.leitung', password: manager.json.initialPassword });
      const changed = await first.request('POST', '/api/v1/auth/password', { currentPassword: manager.json.initialPassword, newPassword: STRONG_PASSWORD });
      expect(changed.status).toBe(200);
      first.token = changed.json.token;
      const staff = await first.request('GET', '/api/v1/users');
      expect(staff.json.map((u: { login: string }) => u.login)).toEqual(['neu.leitung']);
      expect((await first.request('GET', '/api/v1/tenants')).status).toBe(403);

      const audit = await server.tdb.asAdmin((db) => db('audit_log').where({ tenant_id: created.json.id }).orderBy('seq').pluck('action'));
      expect(audit).toEqual(['tenant.create', 'user.create', 'auth.login', 'session.end', 'auth.password_change']);
    });
  });
}
