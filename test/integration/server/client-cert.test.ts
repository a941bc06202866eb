import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeWorkstation } from '../../../server/src/modules/workstations/service.js';
import { issueClientCertificate } from '../../../server/src/pki/x509.js';
import { testBackends } from '../../support/backends.js';
import { httpsRequest } from '../../support/https.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

for (const backend of testBackends()) {
  describe(`client certificates on API routes (${backend})`, () => {
    let server: TestServer;
    const get = (path: string, identity?: { cert: string; key: string }, agent?: https.Agent) =>
      httpsRequest({ port: server.port, path, ca: server.pki.ca.certPem, ...(identity ? { identity } : {}), ...(agent ? { agent } : {}) });

    beforeAll(async () => {
      server = await startTestServer(backend);
    });
    afterAll(async () => {
      await server.close();
    });

    it('accepts a registered workstation and tells it who it is', async () => {
      const res = await get('/api/v1/whoami', { cert: server.workstation.certPem, key: server.workstation.keyPem });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({
        workstation: { id: server.workstation.id, name: 'kasse-1', certificateNotAfter: server.workstation.notAfter.toISOString() },
        tenant: { id: server.tenants.outlet, code: 'outlet-a', name: 'Outlet A', kind: 'outlet' },
      });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    });

    it('refuses a request without a client certificate with problem JSON', async () => {
      const res = await get('/api/v1/whoami');
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json).toMatchObject({ status: 401, code: 'CLIENT_CERT_REQUIRED', instance: '/api/v1/whoami' });
      expect(res.json.requestId).toBe(res.headers['x-request-id']);
    });

    it('refuses unknown API paths without a certificate the same way (no route probing)', async () => {
      const res = await get('/api/v1/does-not-exist');
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('CLIENT_CERT_REQUIRED');
      const withCert = await get('/api/v1/does-not-exist', { cert: server.workstation.certPem, key: server.workstation.keyPem });
      expect(withCert.status).toBe(404);
      expect(withCert.json.code).toBe('NOT_FOUND');
    });

    it('refuses a certificate from a foreign CA', async () => {
      const foreign = await server.pki.client('kasse-1', { foreign: true });
      const res = await get('/api/v1/whoami', { cert: foreign.certPem, key: foreign.keyPem });
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('CLIENT_CERT_UNTRUSTED');
    });

    it('refuses a platform certificate that belongs to no workstation', async () => {
      const stray = await server.pki.client('not-registered');
      const res = await get('/api/v1/whoami', { cert: stray.certPem, key: stray.keyPem });
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('WORKSTATION_UNKNOWN');
    });

    it('refuses the server certificate used as a client certificate', async () => {
      const res = await get('/api/v1/whoami', { cert: server.pki.server.certPem, key: server.pki.server.keyPem });
      expect([401, 403]).toContain(res.status);
      expect(['CLIENT_CERT_UNTRUSTED', 'CLIENT_CERT_WRONG_USAGE']).toContain(res.json.code);
    });

    it('refuses an expired certificate of a registered workstation', async () => {
      const past = new Date(Date.now() - 10 * 86_400_000);
      const expired = await issueClientCertificate(server.pki.ca, { commonName: 'alt', organization: 'T', validityDays: 2, now: past, kind: 'workstation' });
      await server.registerWorkstation(server.tenants.outlet, 'kasse-alt', expired);
      const res = await get('/api/v1/whoami', { cert: expired.certPem, key: expired.keyPem });
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('CLIENT_CERT_UNTRUSTED');
    });

    it('refuses a revoked workstation on the next request, even on an open keep-alive connection', async () => {
      const ws = await server.registerWorkstation(server.tenants.outlet, 'kasse-revoke');
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const identity = { cert: ws.certPem, key: ws.keyPem };
        const before = await get('/api/v1/whoami', identity, agent);
        expect(before.status).toBe(200);
        const now = new Date();
        const sessionId = await server.tdb.asAdmin(async (admin) => {
          const user = await admin('users')
            .insert({ tenant_id: server.tenants.outlet, login: 'kasse.revoke', display_name: 'K', password_hash: 'x' })
            .returning<Array<{ id: string }>>('id');
          const [session] = await admin('sessions')
            .insert({
              tenant_id: server.tenants.outlet,
              user_id: user[0]!.id,
              workstation_id: ws.id,
              token_hash: 'c'.repeat(64),
              cert_fingerprint: ws.fingerprint256,
              created_at: now,
              expires_at: new Date(now.getTime() + 3600_000),
              last_seen_at: now,
            })
            .returning<Array<{ id: string }>>('id');
          return session!.id;
        });
        const result = await revokeWorkstation(server.tdb.db.knex, { tenantId: server.tenants.outlet }, { key: ws.serialHex, reason: 'Gerät gestohlen', now });
        expect(result.endedSessions).toBe(1);
        const after = await get('/api/v1/whoami', identity, agent);
        expect(after.status).toBe(403);
        expect(after.json.code).toBe('WORKSTATION_REVOKED');
        const session = await server.tdb.asAdmin((admin) => admin('sessions').where({ id: sessionId }).first('end_reason'));
        expect(session).toEqual({ end_reason: 'workstation_revoked' });
        const audit = await server.tdb.asAdmin((admin) => admin('audit_log').where({ action: 'workstation.revoke', entity_id: ws.id }).first('details'));
        expect(audit?.details).toMatchObject({ reason: 'Gerät gestohlen', endedSessions: 1 });
      } finally {
        agent.destroy();
      }
    });

    it('answers health probes without a certificate and reveals nothing else', async () => {
      const live = await get('/health/live');
      expect(live.status).toBe(200);
      expect(live.json).toEqual({ status: 'ok' });
      const ready = await get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.json).toEqual({ status: 'ok' });
      expect(ready.headers['server']).toBeUndefined();
      expect(ready.headers['x-powered-by']).toBeUndefined();
    });

    it('serves the OpenAPI document generated from the route schemas to workstations', async () => {
      const res = await get('/api/openapi.json', { cert: server.workstation.certPem, key: server.workstation.keyPem });
      expect(res.status).toBe(200);
      expect(res.json.openapi).toBe('3.1.0');
      expect(Object.keys(res.json.paths)).toContain('/api/v1/whoami');
      expect(Object.keys(res.json.paths).some((p: string) => p.startsWith('/health'))).toBe(false);
      expect((await get('/api/openapi.json')).status).toBe(401);
    });
  });
}
