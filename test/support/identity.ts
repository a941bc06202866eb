import type { Permission } from '../../src/shared/domain/permissions.js';
import { hashPassword } from '../../server/src/modules/identity/password-hash.js';
import { httpsRequest, type HttpsResult } from './https.js';
import type { KeyPair } from './pki.js';
import type { TestServer } from './test-server.js';

// Cheap scrypt parameters for test users: the stored hash carries them, so verification is cheap too.
const FAST = { N: 1024, r: 8, p: 1 };

export const STRONG_PASSWORD = 'Blauer Mond über Hamburg 7!';

export interface TestUser {
  id: string;
  login: string;
  password: string;
}

/** Inserts a user with the given rights directly (as the owner), bypassing the API. */
export async function createUser(
  server: Pick<TestServer, 'tdb'>,
  tenantId: string,
  login: string,
  permissions: readonly Permission[],
  options: { password?: string; mustChangePassword?: boolean } = {},
): Promise<TestUser> {
  const password = options.password ?? STRONG_PASSWORD;
  const hash = await hashPassword(password, FAST);
  const id = await server.tdb.asAdmin(async (admin) => {
    const [row] = await admin('users')
      .insert({ tenant_id: tenantId, login, display_name: login, password_hash: hash, must_change_password: options.mustChangePassword ?? false })
      .returning<Array<{ id: string }>>('id');
    if (permissions.length > 0) {
      await admin('user_permissions').insert(permissions.map((permission) => ({ tenant_id: tenantId, user_id: row!.id, permission, granted_at: new Date() })));
    }
    return row!.id;
  });
  return { id, login, password };
}

export interface ApiClient {
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpsResult>;
  token: string | undefined;
}

/** An HTTPS client presenting a workstation certificate and, once set, a session token. */
export function apiClient(server: Pick<TestServer, 'port' | 'pki'>, ws: Pick<KeyPair, 'certPem' | 'keyPem'>, token?: string): ApiClient {
  const client: ApiClient = {
    token,
    request(method, path, body, headers = {}) {
      return httpsRequest({
        port: server.port,
        path,
        method,
        ca: server.pki.ca.certPem,
        identity: { cert: ws.certPem, key: ws.keyPem },
        ...(body === undefined ? {} : { body }),
        headers: { ...headers, ...(client.token === undefined ? {} : { authorization: `Bearer ${client.token}` }) },
      });
    },
  };
  return client;
}

export async function loginAs(server: Pick<TestServer, 'port' | 'pki'>, ws: Pick<KeyPair, 'certPem' | 'keyPem'>, user: Pick<TestUser, 'login' | 'password'>): Promise<ApiClient> {
  const client = apiClient(server, ws);
  const res = await client.request('POST', '/api/v1/auth/login', { login: user.login, password: user.password });
  if (res.status !== 200) throw new Error(`login of ${user.login} failed: ${res.status} ${res.body}`);
  client.token = res.json.token;
  return client;
}
