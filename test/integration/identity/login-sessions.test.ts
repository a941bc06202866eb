import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { verifyPassword } from '../../../server/src/modules/identity/password-hash.js';
import { testBackends } from '../../support/backends.js';
import { apiClient, createUser, loginAs, STRONG_PASSWORD } from '../../support/identity.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const HOUR = 3600_000;

for (const backend of testBackends()) {
  describe(`login and sessions (${backend})`, () => {
    const clock = fixedClock(new Date('2026-12-04T08:00:00Z'));
    let verifyCalls = 0;
    let server: TestServer;
    let ws2: Awaited<ReturnType<TestServer['registerWorkstation']>>;

    beforeAll(async () => {
      server = await startTestServer(backend, {
        clock,
        verifyPassword: (password, hash) => {
          verifyCalls += 1;
          return verifyPassword(password, hash);
        },
      });
      ws2 = await server.registerWorkstation(server.tenants.outlet, 'kasse-2');
    });
    afterAll(async () => {
      await server.close();
    });

    const audit = (action: string) =>
      server.tdb.asAdmin((admin) => admin('audit_log').where({ action }).orderBy([{ column: 'tenant_id' }, { column: 'seq' }]).select('tenant_id', 'actor_user_id', 'entity_id', 'details'));

    it('forces the change at first login; the initial password stops working afterwards', async () => {
      const manager = await createUser(server, server.tenants.outlet, 'chefin', ['users.manage', 'sales.sell', 'tickets.print']);
      const admin = await loginAs(server, server.workstation, manager);
      const created = await admin.request('POST', '/api/v1/users', { login: 'neu.kasse', displayName: 'Neue Kasse', permissions: ['sales.sell'] });
      expect(created.status).toBe(201);
      expect(created.json.user).toMatchObject({ login: 'neu.kasse', mustChangePassword: true, permissions: ['sales.sell'] });
      const initial: string = created.json.initialPassword;
      expect(new Date(created.json.initialPasswordExpiresAt).getTime() - clock.now().getTime()).toBe(72 * HOUR);

      const clerk = await loginAs(server, ws2, { login: 'neu.kasse', password: initial });
      const blocked = await clerk.request('GET', '/api/v1/auth/me');
      expect(blocked.status).toBe(200);
      expect(blocked.json.mustChangePassword).toBe(true);
      const elsewhere = await clerk.request('GET', '/api/v1/users');
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.json.code).toBe('PASSWORD_CHANGE_REQUIRED');

      const weak = await clerk.request('POST', '/api/v1/auth/password', { currentPassword: initial, newPassword: 'Sommer2026!' });
      expect(weak.status).toBe(422);
      expect(weak.json).toMatchObject({ code: 'PASSWORD_REJECTED', failedRules: ['common'] });
      const same = await clerk.request('POST', '/api/v1/auth/password', { currentPassword: initial, newPassword: initial });
      expect(same.status).toBe(422);
      expect(same.json.failedRules).toEqual(['reused']);
      const wrongCurrent = await clerk.request('POST', '/api/v1/auth/password', { currentPassword: 'nope', newPassword: STRONG_PASSWORD });
      expect(wrongCurrent.json.code).toBe('CURRENT_PASSWORD_WRONG');

      const changed = await clerk.request('POST', '/api/v1/auth/password', { currentPassword: initial, newPassword: STRONG_PASSWORD });
      expect(changed.status).toBe(200);
      const oldToken = await clerk.request('GET', '/api/v1/auth/me');
      expect(oldToken.status).toBe(401);
      expect(oldToken.json).toMatchObject({ code: 'SESSION_ENDED', reason: 'password_changed' });
      clerk.token = changed.json.token;
      expect((await clerk.request('GET', '/api/v1/auth/me')).json.mustChangePassword).toBe(false);

      const again = await apiClient(server, ws2).request('POST', '/api/v1/auth/login', { login: 'neu.kasse', password: initial });
      expect(again.status).toBe(401);
      expect(again.json.code).toBe('INVALID_CREDENTIALS');
      await loginAs(server, ws2, { login: 'neu.kasse', password: STRONG_PASSWORD });
    });

    it('refuses an initial password after 72 hours', async () => {
      const manager = await createUser(server, server.tenants.outlet, 'chef72', ['users.manage']);
      const admin = await loginAs(server, server.workstation, manager);
      const created = await admin.request('POST', '/api/v1/users', { login: 'spaet', displayName: 'Spät', permissions: [] });
      clock.advance(72 * HOUR);
      try {
        const res = await apiClient(server, ws2).request('POST', '/api/v1/auth/login', { login: 'spaet', password: created.json.initialPassword });
        expect(res.status).toBe(401);
        expect(res.json.code).toBe('INITIAL_PASSWORD_EXPIRED');
      } finally {
        clock.advance(-72 * HOUR);
      }
    });

    it('ends a session after 8 hours even while it is in use', async () => {
      const user = await createUser(server, server.tenants.outlet, 'achtstunden', []);
      const client = await loginAs(server, server.workstation, user);
      const start = clock.now().getTime();
      // Keep it busy every 50 minutes so that only the absolute limit can end it.
      for (let t = 50; t < 480; t += 50) {
        clock.set(new Date(start + t * 60_000));
        expect((await client.request('GET', '/api/v1/auth/me')).status).toBe(200);
      }
      clock.set(new Date(start + 8 * HOUR - 1000));
      expect((await client.request('GET', '/api/v1/auth/me')).status).toBe(200);
      clock.set(new Date(start + 8 * HOUR));
      const res = await client.request('GET', '/api/v1/auth/me');
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('SESSION_EXPIRED');
      expect((await client.request('GET', '/api/v1/auth/me')).json).toMatchObject({ code: 'SESSION_ENDED', reason: 'expired' });
    });

    it('ends an idle session after the configured inactivity', async () => {
      const user = await createUser(server, server.tenants.outlet, 'pause', []);
      const client = await loginAs(server, server.workstation, user);
      clock.advance(61 * 60_000);
      const res = await client.request('GET', '/api/v1/auth/me');
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('SESSION_IDLE');
    });

    it('ends the first session when the user logs in again elsewhere', async () => {
      const user = await createUser(server, server.tenants.outlet, 'wanderer', []);
      const first = await loginAs(server, server.workstation, user);
      const second = await loginAs(server, ws2, user);
      const res = await first.request('GET', '/api/v1/auth/me');
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ code: 'SESSION_ENDED', reason: 'superseded' });
      expect((await second.request('GET', '/api/v1/auth/me')).status).toBe(200);
      const active = await server.tdb.asAdmin((admin) => admin('sessions').where({ user_id: user.id }).whereNull('ended_at').count<Array<{ count: number }>>('* as count'));
      expect(active).toEqual([{ count: 1 }]);
    });

    it('refuses a token presented with another workstation certificate and audits it', async () => {
      const user = await createUser(server, server.tenants.outlet, 'dieb', []);
      const victim = await loginAs(server, server.workstation, user);
      const thief = apiClient(server, ws2, victim.token);
      const res = await thief.request('GET', '/api/v1/auth/me');
      expect(res.status).toBe(401);
      expect(res.json.code).toBe('SESSION_CERT_MISMATCH');
      const rows = await audit('session.cert_mismatch');
      expect(rows.at(-1)).toMatchObject({ actor_user_id: user.id });
      expect((await victim.request('GET', '/api/v1/auth/me')).status).toBe(200);
    });

    it('ends sessions at once on logout, disabling the user, changing rights and revoking the workstation', async () => {
      const manager = await createUser(server, server.tenants.outlet, 'leitung', ['users.manage', 'workstations.manage', 'sales.sell']);
      const admin = await loginAs(server, ws2, manager);

      const a = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'geht', []));
      expect((await a.request('POST', '/api/v1/auth/logout')).status).toBe(204);
      expect((await a.request('GET', '/api/v1/auth/me')).json).toMatchObject({ code: 'SESSION_ENDED', reason: 'logout' });

      const bUser = await createUser(server, server.tenants.outlet, 'gesperrt', []);
      const b = await loginAs(server, server.workstation, bUser);
      expect((await admin.request('POST', `/api/v1/users/${bUser.id}/disable`)).status).toBe(200);
      expect((await b.request('GET', '/api/v1/auth/me')).json).toMatchObject({ code: 'SESSION_ENDED', reason: 'user_disabled' });
      expect((await apiClient(server, server.workstation).request('POST', '/api/v1/auth/login', { login: 'gesperrt', password: bUser.password })).json.code).toBe(
        'INVALID_CREDENTIALS',
      );

      const cUser = await createUser(server, server.tenants.outlet, 'befoerdert', []);
      const c = await loginAs(server, server.workstation, cUser);
      expect((await admin.request('PUT', `/api/v1/users/${cUser.id}/permissions`, { permissions: ['sales.sell'] })).status).toBe(200);
      expect((await c.request('GET', '/api/v1/auth/me')).json).toMatchObject({ code: 'SESSION_ENDED', reason: 'rights_changed' });

      const ws3 = await server.registerWorkstation(server.tenants.outlet, 'kasse-3');
      const d = await loginAs(server, ws3, await createUser(server, server.tenants.outlet, 'ohnekasse', []));
      expect((await admin.request('POST', `/api/v1/workstations/${ws3.id}/revoke`, { reason: 'Gerät defekt' })).status).toBe(204);
      const res = await d.request('GET', '/api/v1/auth/me');
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('WORKSTATION_REVOKED');
      const ended = await server.tdb.asAdmin((db) => db('sessions').where({ workstation_id: ws3.id }).select('end_reason'));
      expect(ended).toEqual([{ end_reason: 'workstation_revoked' }]);
    });

    it('lets administrators list and end sessions', async () => {
      const manager = await createUser(server, server.tenants.outlet, 'aufsicht', ['users.manage']);
      const admin = await loginAs(server, ws2, manager);
      const victimUser = await createUser(server, server.tenants.outlet, 'beendet', []);
      const victim = await loginAs(server, server.workstation, victimUser);
      const list = await admin.request('GET', '/api/v1/sessions');
      const entry = list.json.find((s: { login: string }) => s.login === 'beendet');
      expect(entry).toMatchObject({ workstationName: 'kasse-1' });
      expect((await admin.request('POST', `/api/v1/sessions/${entry.id}/end`)).status).toBe(204);
      expect((await victim.request('GET', '/api/v1/auth/me')).json).toMatchObject({ code: 'SESSION_ENDED', reason: 'ended_by_admin' });
    });

    it('answers unknown logins, wrong passwords and disabled accounts alike, after one password check each', async () => {
      await createUser(server, server.tenants.outlet, 'bekannt', []);
      const anon = apiClient(server, server.workstation);
      const before = verifyCalls;
      const unknown = await anon.request('POST', '/api/v1/auth/login', { login: 'gibtsnicht', password: 'Irgendwas-123!' });
      expect(verifyCalls - before).toBe(1);
      const wrong = await anon.request('POST', '/api/v1/auth/login', { login: 'bekannt', password: 'Irgendwas-123!' });
      expect(verifyCalls - before).toBe(2);
      // A user of another tenant cannot log in here and is not revealed either.
      await createUser(server, server.tenants.outletB, 'fremd', []);
      const foreign = await anon.request('POST', '/api/v1/auth/login', { login: 'fremd', password: STRONG_PASSWORD });
      for (const res of [unknown, wrong, foreign]) {
        expect(res.status).toBe(401);
        expect({ code: res.json.code, detail: res.json.detail, title: res.json.title }).toEqual({
          code: 'INVALID_CREDENTIALS',
          detail: 'Login name or password is wrong.',
          title: 'Unauthorized',
        });
      }
      const failures = await audit('auth.login_failed');
      expect(failures.map((f: { details: { reason: string } }) => f.details.reason)).toEqual(expect.arrayContaining(['unknown_login', 'wrong_password']));
    });

    it('delays after five consecutive failures, refuses the 101st failure in an hour without checking the password, and can be unlocked', async () => {
      const user = await createUser(server, server.tenants.outlet, 'ziel', []);
      const anon = apiClient(server, ws2);
      const attempt = (password: string) => anon.request('POST', '/api/v1/auth/login', { login: 'ziel', password });
      for (let i = 0; i < 5; i += 1) expect((await attempt(`Falsch-${i}-Passwort!`)).json.code).toBe('INVALID_CREDENTIALS');
      let before = verifyCalls;
      const delayed = await attempt(user.password);
      expect(delayed.status).toBe(429);
      expect(delayed.json).toMatchObject({ code: 'LOGIN_THROTTLED', retryAfterSeconds: 1 });
      expect(delayed.headers['retry-after']).toBe('1');
      expect(verifyCalls).toBe(before);
      // The delay is per workstation: the user can still log in at her own station.
      await loginAs(server, server.workstation, user);

      // 100 failures within the hour (from many stations), then the right password is not even checked.
      const now = clock.now();
      await server.tdb.asAdmin((admin) =>
        admin('login_attempts').insert(
          Array.from({ length: 100 }, (_, i) => ({ at: new Date(now.getTime() - 50 * 60_000 + i * 1000), login: 'ziel', user_id: user.id, workstation_id: server.workstation.id, source_ip: `198.51.100.${i % 50}`, outcome: 'failure' })),
        ),
      );
      before = verifyCalls;
      const capped = await apiClient(server, server.workstation).request('POST', '/api/v1/auth/login', { login: 'ziel', password: user.password });
      expect(capped.status).toBe(429);
      expect(capped.json.code).toBe('LOGIN_THROTTLED');
      expect(verifyCalls).toBe(before);
      expect((await audit('auth.login_throttled')).at(-1)?.details).toMatchObject({ reason: 'account_hourly_limit' });

      const manager = await createUser(server, server.tenants.outlet, 'entsperrer', ['users.manage']);
      const admin = await loginAs(server, ws2, manager);
      expect((await admin.request('POST', `/api/v1/users/${user.id}/unlock`)).status).toBe(204);
      await loginAs(server, server.workstation, user);
    });
  });
}
