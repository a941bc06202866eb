import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../support/backends.js';
import { freePort, runCli, startCliServer, type CliServer } from '../../support/cli.js';
import { httpsRequest } from '../../support/https.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-db.js';

/**
 * The operator's path, all through the CLI in separate processes: CA, demo tenants, a workstation
 * certificate as .p12, a server that accepts it, revocation that makes the server refuse it.
 */
for (const backend of testBackends()) {
  describe(`CA command line with a running server (${backend})`, () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'boxoffice-ca-flow-'));
    const outDir = path.join(dataDir, 'out');
    let tdb: TestDatabase | undefined;
    let server: CliServer | undefined;
    const env: Record<string, string> = { BOXOFFICE_DATA_DIR: dataDir };

    afterAll(async () => {
      await server?.stop();
      await tdb?.cleanup();
    });

    it('issues a .p12 that Node accepts and that authenticates against the server until revoked', async () => {
      if (backend === 'postgres') {
        tdb = await createTestDatabase('postgres');
        env['DATABASE_URL'] = tdb.url!;
      }
      env['BOXOFFICE_PORT'] = String(await freePort());

      const init = await runCli(['ca', 'init'], env);
      expect(init.stderr).toBe('');
      expect(init.stdout).toMatch(/CA created/);
      const again = await runCli(['ca', 'init'], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/a CA already exists .* never overwritten/);

      const demo = await runCli(['demo'], env);
      expect(demo.code, demo.stderr).toBe(0);
      expect(demo.stdout).toMatch(/hbf\.kasse\s+\S{16}/);

      const issued = await runCli(['ca', 'issue-workstation', '--tenant', 'vvk-altstadt', '--name', 'kasse-9', '--out', outDir], env);
      expect(issued.code, issued.stderr).toBe(0);
      const passphrase = /passphrase \(shown once\): (\S+)/.exec(issued.stdout)?.[1];
      const p12Path = /\.p12: (\S+)/.exec(issued.stdout)?.[1];
      const serial = /serial ([0-9a-f]+)\)/.exec(issued.stdout)?.[1];
      expect(passphrase).toBeDefined();
      expect(serial).toBeDefined();
      const pfx = readFileSync(p12Path!);
      expect(() => tls.createSecureContext({ pfx, passphrase: passphrase! })).not.toThrow();
      expect(() => tls.createSecureContext({ pfx, passphrase: 'wrong-passphrase' })).toThrow();

      const duplicate = await runCli(['ca', 'issue-workstation', '--tenant', 'vvk-altstadt', '--name', 'kasse-9', '--out', outDir], env);
      expect(duplicate.code).toBe(1);
      expect(duplicate.stderr).toMatch(/already has a live workstation "kasse-9"/);
      const unknownTenant = await runCli(['ca', 'issue-workstation', '--tenant', 'nope', '--name', 'x', '--out', outDir], env);
      expect(unknownTenant.stderr).toMatch(/no tenant with code "nope"/);

      const ca = readFileSync(path.join(dataDir, 'pki/ca.cert.pem'), 'utf8');
      const port = Number(env['BOXOFFICE_PORT']);
      const whoami = () => httpsRequest({ port, path: '/api/v1/whoami', ca, identity: { pfx, passphrase: passphrase! } });

      server = await startCliServer([], env);
      const ok = await whoami();
      expect(ok.status).toBe(200);
      expect(ok.json.tenant).toMatchObject({ code: 'vvk-altstadt', kind: 'outlet' });
      expect(ok.json.workstation.name).toBe('kasse-9');

      // A demo user logs in with the printed one-time password and must change it first.
      const initial = /alt\.kasse\s+(\S{16})/.exec(demo.stdout)?.[1];
      const login = await httpsRequest({ port, path: '/api/v1/auth/login', method: 'POST', ca, identity: { pfx, passphrase: passphrase! }, body: { login: 'alt.kasse', password: initial } });
      expect(login.status).toBe(200);
      expect(login.json).toMatchObject({ mustChangePassword: true, permissions: ['reports.view', 'sales.cancel', 'sales.sell', 'tickets.print'] });
      // Users of another tenant cannot log in at this outlet's workstation.
      const foreignUser = /hbf\.kasse\s+(\S{16})/.exec(demo.stdout)?.[1];
      const foreign = await httpsRequest({ port, path: '/api/v1/auth/login', method: 'POST', ca, identity: { pfx, passphrase: passphrase! }, body: { login: 'hbf.kasse', password: foreignUser } });
      expect(foreign.json.code).toBe('INVALID_CREDENTIALS');

      if (backend === 'pglite') {
        // The embedded database belongs to one process: the CLI refuses to open it while the server runs.
        const locked = await runCli(['ca', 'revoke', serial!, '--reason', 'Gerät verloren'], env);
        expect(locked.code).toBe(1);
        expect(locked.stderr).toMatch(/in use by process/);
        expect(await server.stop()).toBe(0);
        server = undefined;
      }

      const revoked = await runCli(['ca', 'revoke', serial!, '--reason', 'Gerät verloren'], env);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(revoked.stdout).toMatch(/revoked kasse-9/);

      server ??= await startCliServer([], env);
      const refused = await whoami();
      expect(refused.status).toBe(403);
      expect(refused.json.code).toBe('WORKSTATION_REVOKED');
      expect(await server.stop()).toBe(0);
      server = undefined;

      const list = await runCli(['ca', 'list', '--tenant', 'vvk-altstadt'], env);
      expect(list.stdout).toMatch(/vvk-altstadt\tkasse-9\t[0-9a-f]+\t\S+\trevoked .*\(Gerät verloren\)/);
      expect(list.stdout).toMatch(/vvk-altstadt\tkasse-1\t[0-9a-f]+\t\S+\tactive/);
      // A dozen CLI processes, each opening the database, and four 600 000-iteration key derivations.
    }, 240_000);
  });
}
