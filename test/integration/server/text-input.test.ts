import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBadText } from '../../../server/src/plugins/text-input.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * Found by the fuzzer (test/faults/fuzz.test.ts): a NUL character in a text field reached PostgreSQL and
 * failed the INSERT with a 500; an unpaired surrogate would have been stored as U+FFFD. Both are now
 * refused with 400 VALIDATION_FAILED before anything runs, and nothing is written.
 */
for (const backend of testBackends()) {
  describe(`text the database cannot store is refused up front (${backend})`, () => {
    let server: TestServer;
    let admin: ApiClient;
    const users = () => server.tdb.asAdmin(async (a) => Number((await a('users').count<Array<{ n: number }>>('* as n'))[0]?.n));

    beforeAll(async () => {
      server = await startTestServer(backend);
      admin = await loginAs(server, server.workstation, await createUser(server, server.tenants.outlet, 'chef', ['users.manage', 'sales.sell']));
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
  });
}

describe('findBadText', () => {
  it('walks JSON of any depth without recursion and names the first offending path', () => {
    let deep: unknown = 'ok';
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    expect(findBadText(deep, 'body')).toBeUndefined();
    expect(findBadText({ a: [1, { b: 'x\u0000' }] }, 'body')).toBe('body/a/1/b');
    expect(findBadText({ 'k\uD800': 1 }, 'body')).toBe('body/k?');
  });
});
