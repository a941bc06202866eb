import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBadInput, MAX_JSON_DEPTH } from '../../../server/src/plugins/text-input.js';
import { testBackends } from '../../support/backends.js';
import { httpsRequest } from '../../support/https.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { newKey } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * Found by the fuzzer (test/faults/fuzz.test.ts): a NUL character in a text field reached PostgreSQL and
 * failed the INSERT with a 500 (an unpaired surrogate would have been stored as U+FFFD); a deeply nested
 * array in a body overflowed the stack of the schema check (500); a paging cursor of 1e308 passed the
 * integer schema and failed in PostgreSQL (500). All are now refused with 400 VALIDATION_FAILED before
 * anything runs, and nothing is written.
 */
for (const backend of testBackends()) {
  describe(`text the database cannot store is refused up front (${backend})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    const users = () => server.tdb.asAdmin(async (a) => Number((await a('users').count<Array<{ n: number }>>('* as n'))[0]?.n));

    beforeAll(async () => {
      server = await startTestServer(backend);
      admin = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'chef', ['users.manage', 'sales.sell', 'sales.cancel', 'reports.view', 'audit.view']));
    });
    afterAll(async () => {
      await server.close();
    });

    it.each([
      ['a NUL character', 'Erika\u0000Muster'],
      ['a lone high surrogate', 'Erika \uD800'],
      ['a lone low surrogate', '\uDC00Erika'],
    ])('refuses %s in a JSON string with 400 and creates nothing', async (_name, displayName) => {
      const before = await users();
      const res = await admin.request('POST', '/api/v1/users', { login: 'neu.1', displayName, permissions: ['sales.sell'] });
      expect(res.status, res.body).toBe(400);
      expect(res.json).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'body/displayName' }] });
      expect(await users()).toBe(before);
    });

    it('refuses NUL in the query string and in a key, and still takes a proper surrogate pair', async () => {
      const query = await admin.request('GET', '/api/v1/orders?customer=a%00b');
      expect(query.status).toBe(400);
      expect(query.json).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'querystring/customer' }] });
      const key = await admin.request('POST', '/api/v1/users', { login: 'neu.2', displayName: 'x', permissions: ['sales.sell'], ['a\u0000']: 1 });
      expect(key.status).toBe(400);
      const emoji = await admin.request('POST', '/api/v1/users', { login: 'neu.3', displayName: 'Erika 😀', permissions: ['sales.sell'] });
      expect(emoji.status, emoji.body).toBe(201);
      expect(emoji.json.user.displayName).toBe('Erika 😀');
    });

    it('refuses JSON nested too deeply with 400 before the schema check recurses into it (was a 500)', async () => {
      const body = `{"ticketIds":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
      const res = await httpsRequest({ port: server.port, path: `/api/v1/orders/${randomUUID()}/cancel`, method: 'POST', ca: server.pki.ca.certPem, identity: { cert: server.workstation.certPem, key: server.workstation.keyPem }, headers: { authorization: `Bearer ${admin.token ?? ''}`, 'content-type': 'application/json', 'idempotency-key': newKey() }, rawBody: body });
      expect(res.status, res.body).toBe(400);
      expect(res.json).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ message: `nested deeper than ${MAX_JSON_DEPTH} levels` }] });
    });

    it('refuses paging cursors beyond their column with 400 (1e308 was a 500 from PostgreSQL)', async () => {
      for (const path of ['/api/v1/till/closings?beforeNumber=1e%2B308', '/api/v1/audit?beforeSeq=1e%2B308', `/api/v1/audit?beforeSeq=${2 ** 63}`, `/api/v1/till/closings?beforeNumber=${2 ** 31}`]) {
        const res = await admin.request('GET', path);
        expect(res.status, `${path} ${res.body}`).toBe(400);
        expect(res.json.code).toBe('VALIDATION_FAILED');
      }
      expect((await admin.request('GET', `/api/v1/till/closings?beforeNumber=${2 ** 31 - 1}`)).status).toBe(200);
      expect((await admin.request('GET', `/api/v1/audit?beforeSeq=${Number.MAX_SAFE_INTEGER}`)).status).toBe(200);
    });
  });
}

describe('findBadInput', () => {
  it('walks JSON without recursion, names the first offending path and stops at the depth limit', () => {
    let deep: unknown = 'ok';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(findBadInput(deep, 'body')).toEqual({ problem: 'depth', path: `body${'/0'.repeat(MAX_JSON_DEPTH)}` });
    let fine: unknown = 'ok';
    for (let i = 0; i < MAX_JSON_DEPTH; i += 1) fine = { a: fine };
    expect(findBadInput(fine, 'body')).toBeUndefined();
    expect(findBadInput({ a: [1, { b: 'x\u0000' }] }, 'body')).toEqual({ problem: 'text', path: 'body/a/1/b' });
    expect(findBadInput({ 'k\uD800': 1 }, 'body')).toEqual({ problem: 'text', path: 'body/k?' });
  });
});
