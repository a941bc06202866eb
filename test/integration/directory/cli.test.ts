import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/src/db/database.js';
import { sealSecret } from '../../../server/src/modules/directory/secret.js';
import { testBackends } from '../../support/backends.js';
import { runCli as runCliProcess } from '../../support/cli.js';
import { BASE_DN, SERVICE_DN, SERVICE_PASSWORD, startSlapd, type Slapd } from '../../support/slapd.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-db.js';

/**
 * The operator's commands for this issue, each in its own process: ca issue-user, ca bind and
 * directory sync (against the test slapd), with their refusals.
 */
// Each command is a process that opens (PGlite: creates) the database; on a loaded machine that takes long.
const runCli = (args: string[], env: Record<string, string>) => runCliProcess(args, env, 180_000);

let slapd: Slapd;
beforeAll(async () => {
  slapd = await startSlapd();
});
afterAll(async () => {
  await slapd?.close();
});

for (const backend of testBackends()) {
  describe(`directory and certificate binding on the command line (${backend})`, () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'boxoffice-dir-cli-'));
    const key = randomBytes(32);
    const env: Record<string, string> = { BOXOFFICE_DATA_DIR: dataDir, BOXOFFICE_DIRECTORY_KEY: key.toString('base64') };
    let tdb: TestDatabase | undefined;

    /** Owner access between CLI runs (PGlite is one process at a time, so it is opened and closed here). */
    async function asAdmin<T>(fn: (db: Knex) => Promise<T>): Promise<T> {
      if (tdb !== undefined) return tdb.asAdmin(fn);
      const db = await openDatabase({ pgliteDir: path.join(dataDir, 'pglite'), migrate: false });
      try {
        await db.knex.raw('RESET ROLE');
        return await fn(db.knex);
      } finally {
        await db.close();
      }
    }

    afterAll(async () => {
      await tdb?.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('issues a user certificate, binds a workstation, syncs the directory', async () => {
      if (backend === 'postgres') {
        tdb = await createTestDatabase('postgres');
        env['DATABASE_URL'] = tdb.url as string;
      }
      expect((await runCli(['ca', 'init'], env)).code).toBe(0);
      expect((await runCli(['migrate'], env)).code).toBe(0);
      const outlet = await asAdmin(async (db) => {
        const [op] = await db('tenants').insert({ kind: 'operator', code: 'op', name: 'Operator' }).returning<Array<{ id: string }>>('id');
        const [o] = await db('tenants').insert({ kind: 'outlet', code: 'vvk', name: 'VVK', parent_id: op?.id }).returning<Array<{ id: string }>>('id');
        await db('users').insert({ tenant_id: o?.id, login: 'kasse.eins', display_name: 'Kasse', password_hash: 'x' });
        return o?.id as string;
      });

      const issued = await runCli(['ca', 'issue-user', '--tenant', 'vvk', '--login', 'Kasse.Eins', '--out', path.join(dataDir, 'out')], env);
      expect(issued.code, issued.stderr).toBe(0);
      expect(issued.stdout).toMatch(/user certificate vvk\/user:kasse\.eins registered/);
      const pfx = readFileSync(/\.p12: (\S+)/.exec(issued.stdout)?.[1] as string);
      expect(() => tls.createSecureContext({ pfx, passphrase: /passphrase \(shown once\): (\S+)/.exec(issued.stdout)?.[1] as string })).not.toThrow();
      expect((await runCli(['ca', 'issue-user', '--tenant', 'vvk', '--login', 'niemand'], env)).stderr).toMatch(/tenant vvk has no user "niemand"/);
      expect((await runCli(['ca', 'issue-user', '--tenant', 'vvk'], env)).code).toBe(2);

      expect((await runCli(['ca', 'issue-workstation', '--tenant', 'vvk', '--name', 'kasse-1', '--out', path.join(dataDir, 'out')], env)).code).toBe(0);
      const list = await runCli(['ca', 'list', '--tenant', 'vvk'], env);
      expect(list.stdout).toMatch(/vvk\tuser:kasse\.eins\t[0-9a-f]+\t\S+\tactive\t\S+\tuser/);
      const workstationSerial = /vvk\tkasse-1\t([0-9a-f]+)\t/.exec(list.stdout)?.[1] as string;
      const userSerial = /vvk\tuser:kasse\.eins\t([0-9a-f]+)\t/.exec(list.stdout)?.[1] as string;

      const bound = await runCli(['ca', 'bind', workstationSerial, '--user', 'kasse.eins', '--group', 'CN=Box Office Clerks,OU=groups,DC=example,DC=test'], env);
      expect(bound.code, bound.stderr).toBe(0);
      expect(bound.stdout).toMatch(/limited to 1 user\(s\) and 1 group\(s\)\n {2}group cn=box office clerks,ou=groups,dc=example,dc=test/);
      expect((await runCli(['ca', 'bind', workstationSerial, '--user', 'niemand'], env)).stderr).toMatch(/no user "niemand"/);
      expect((await runCli(['ca', 'bind', userSerial, '--user', 'kasse.eins'], env)).stderr).toMatch(/user certificate signs in only its owner/);
      expect(await asAdmin((db) => db('workstation_sign_in_rules').count<Array<{ n: string | number }>>('* as n'))).toEqual([{ n: 2 }]);
      expect((await runCli(['ca', 'bind', workstationSerial], env)).stdout).toMatch(/no sign-in rules/);

      // Directory sync: one local directory user the directory knows in a mapped group, one it does not know.
      const none = await runCli(['directory', 'sync', '--tenant', 'vvk'], env);
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/no tenant "vvk" with a directory configured/);
      await asAdmin(async (db) => {
        await db('directory_configs').insert({
          tenant_id: outlet,
          enabled: true,
          url: slapd.ldapsUrl,
          start_tls: false,
          ca_cert_pem: slapd.caCertPem,
          bind_dn: SERVICE_DN,
          bind_password_enc: sealSecret(key, outlet, SERVICE_PASSWORD),
          base_dn: BASE_DN,
          user_filter: '(objectClass=inetOrgPerson)',
          login_attribute: 'uid',
          display_name_attribute: 'cn',
          group_base_dn: BASE_DN,
          group_filter: '(member={dn})',
          disabled_filter: '(employeeType=disabled)',
          timeout_ms: 3000,
          updated_at: new Date(),
        });
        await db('directory_group_mappings').insert({ tenant_id: outlet, group_dn: 'cn=box office clerks,ou=groups,dc=example,dc=test', permission: 'sales.sell', granted_at: new Date() });
        for (const login of ['anna', 'ghost']) {
          await db('users').insert({ tenant_id: outlet, login, display_name: login, password_hash: '!directory', must_change_password: false, auth_source: 'directory', directory_dn: `uid=${login},ou=people,${BASE_DN}` });
        }
      });
      const synced = await runCli(['directory', 'sync', '--tenant', 'vvk'], env);
      expect(synced.code, synced.stderr).toBe(0);
      expect(synced.stdout).toMatch(/vvk: 2 checked, 1 disabled, 0 enabled, 1 with changed rights/);
      const state = await asAdmin((db) => db('users').where({ auth_source: 'directory' }).orderBy('login').select('login', 'directory_disabled'));
      expect(state).toEqual([
        { login: 'anna', directory_disabled: false },
        { login: 'ghost', directory_disabled: true },
      ]);

      await slapd.stop();
      try {
        const down = await runCli(['directory', 'sync'], env);
        expect(down.code).toBe(1);
        expect(down.stderr).toMatch(/vvk: DIRECTORY_UNAVAILABLE/);
      } finally {
        await slapd.start();
      }
      const noKey = await runCli(['directory', 'sync', '--tenant', 'vvk'], { ...env, BOXOFFICE_DIRECTORY_KEY: '' });
      expect(noKey.stderr).toMatch(/DIRECTORY_MISCONFIGURED: BOXOFFICE_DIRECTORY_KEY is not set/);
    }, 900_000);
  });
}
