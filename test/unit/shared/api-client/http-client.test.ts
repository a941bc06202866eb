import { Type } from 'typebox';
import { describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../../../src/shared/api-client/api-client.js';
import { createHttpClient, type SessionEnd } from '../../../../src/shared/api-client/http-client.js';
import { createMemorySessionStore } from '../../../../src/shared/api-client/session-store.js';
import { TransportError, TransportErrorCode, type FetchLike, type FetchLikeInit } from '../../../../src/shared/api-client/transport.js';

type Step = { status: number; body?: unknown; contentType?: string } | { fail: TransportError | Error };

/** A scripted transport: answers the steps in order and records every request. */
function scripted(steps: Step[]) {
  const calls: Array<{ url: string; init: FetchLikeInit }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const step = steps.shift();
    if (step === undefined) throw new Error('no more scripted answers');
    if ('fail' in step) throw step.fail;
    const text = step.body === undefined ? '' : JSON.stringify(step.body);
    const type = step.contentType ?? (step.status >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8');
    return { status: step.status, headers: { get: (name) => (name.toLowerCase() === 'content-type' ? type : null) }, text: async () => text };
  };
  return { fetch, calls };
}

const Thing = Type.Object({ id: Type.String() });
const problem = (status: number, code: string, extra: Record<string, unknown> = {}) => ({ status, body: { type: 'x', title: 'x', status, code, detail: `detail of ${code}`, ...extra } });

function client(steps: Step[], options: { token?: string } = {}) {
  const transport = scripted(steps);
  const session = createMemorySessionStore();
  if (options.token !== undefined) session.set(options.token);
  const sleeps: number[] = [];
  const connectivity: string[] = [];
  const ended: SessionEnd[] = [];
  let keys = 0;
  const http = createHttpClient({
    baseUrl: 'https://kasse.example:8443',
    fetch: transport.fetch,
    session,
    newIdempotencyKey: () => `key-${String(++keys).padStart(16, '0')}`,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    observer: { connectivity: (state) => connectivity.push(state), sessionEnded: (end) => ended.push(end) },
  });
  return { http, session, calls: transport.calls, sleeps, connectivity, ended };
}

describe('http client: requests and results', () => {
  it('sends JSON with the bearer token and returns the validated body', async () => {
    const c = client([{ status: 200, body: { id: 'a' } }], { token: 'tok' });
    const result = await c.http.request({ method: 'POST', path: '/api/v1/things', query: { q: 'ä b', skip: undefined }, body: { n: 1 }, response: Thing, auth: 'session' });
    expect(result).toEqual({ ok: true, value: { id: 'a' } });
    expect(c.calls[0]?.url).toBe('https://kasse.example:8443/api/v1/things?q=%C3%A4%20b');
    expect(c.calls[0]?.init).toEqual({
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: 'Bearer tok' },
      body: '{"n":1}',
    });
    expect(c.connectivity).toEqual(['online']);
  });

  it('refuses a session call without a session, without sending anything', async () => {
    const c = client([]);
    const result = await c.http.request({ method: 'GET', path: '/api/v1/auth/me', response: Thing, auth: 'session' });
    expect(result).toMatchObject({ ok: false, error: { code: 'SESSION_REQUIRED' } });
    expect(c.calls).toHaveLength(0);
  });

  it('answers BAD_RESPONSE when the body does not match the contract or is not JSON', async () => {
    const c = client([{ status: 200, body: { id: 7 } }, { status: 200, body: { id: 'a' }, contentType: 'text/html' }]);
    expect(await c.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
    expect(await c.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
  });

  it('passes problem codes and structured fields on, and never the text of a 5xx', async () => {
    const c = client([problem(422, 'PASSWORD_REJECTED', { failedRules: ['length'] }), problem(500, 'INTERNAL', { detail: 'SELECT * FROM secret failed' })]);
    const rejected = await c.http.request({ method: 'POST', path: '/x', body: {}, response: Thing, auth: 'workstation' });
    expect(rejected).toEqual({ ok: false, error: { code: 'PASSWORD_REJECTED', status: 422, message: 'detail of PASSWORD_REJECTED', failedRules: ['length'] } });
    const internal = await c.http.request({ method: 'POST', path: '/x', body: {}, response: Thing, auth: 'workstation' });
    expect(internal.ok).toBe(false);
    if (!internal.ok) {
      expect(internal.error.code).toBe('INTERNAL');
      expect(internal.error.message).not.toContain('secret');
    }
  });

  it('maps a 5xx without problem body to SERVER_ERROR', async () => {
    const c = client([{ status: 500, body: '<html>proxy</html>', contentType: 'text/html' }]);
    expect(await c.http.request({ method: 'POST', path: '/x', response: null, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR', status: 500 } });
  });

  it('turns any thrown non-transport error into SERVER_UNREACHABLE (browsers throw TypeError)', async () => {
    const c = client([{ fail: new TypeError('Failed to fetch') }]);
    expect(await c.http.request({ method: 'POST', path: '/x', response: null, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
    expect(c.connectivity).toEqual(['offline']);
  });

  it('a preflight refusal is the result and nothing is sent', async () => {
    const transport = scripted([]);
    const http = createHttpClient({
      baseUrl: '',
      fetch: transport.fetch,
      session: createMemorySessionStore(),
      newIdempotencyKey: () => 'k'.repeat(16),
      sleep: async () => undefined,
      preflight: () => ({ code: 'CLIENT_CERT_EXPIRED', status: undefined, message: 'expired' }),
    });
    expect(await http.request({ method: 'GET', path: '/x', response: null, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'CLIENT_CERT_EXPIRED' } });
    expect(transport.calls).toHaveLength(0);
  });
});

describe('http client: retries and idempotency keys', () => {
  const lost = () => ({ fail: new TransportError(TransportErrorCode.connectionLost, 'socket hang up') });

  it('retries a keyed write after a lost connection with the same Idempotency-Key', async () => {
    const c = client([lost(), { status: 503, body: { status: 503, code: 'BUSY_RETRY', retryAfterSeconds: 1 } }, { status: 201, body: { id: 'order' } }]);
    const result = await c.http.request({ method: 'POST', path: '/api/v1/orders', body: { a: 1 }, response: Thing, auth: 'workstation', idempotent: true });
    expect(result).toEqual({ ok: true, value: { id: 'order' } });
    expect(c.calls).toHaveLength(3);
    const keys = c.calls.map((call) => call.init.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{16,100}$/);
    expect(new Set(keys).size).toBe(1);
    expect(c.calls.every((call) => call.init.body === '{"a":1}')).toBe(true);
    // Exponential back-off with jitter, and never shorter than the server's Retry-After.
    expect(c.sleeps).toEqual([188, 1000]);
  });

  it('uses a key chosen by the caller on every attempt', async () => {
    const c = client([lost(), { status: 201, body: { id: 'x' } }]);
    await c.http.request({ method: 'POST', path: '/x', body: {}, response: Thing, auth: 'workstation', idempotencyKey: 'offline-queue-0000001' });
    expect(c.calls.map((call) => call.init.headers['idempotency-key'])).toEqual(['offline-queue-0000001', 'offline-queue-0000001']);
  });

  it('never retries a write without a key, whatever the failure', async () => {
    for (const failure of [lost(), { fail: new TransportError(TransportErrorCode.unreachable, 'refused') }, { fail: new TransportError(TransportErrorCode.timeout, 'slow') }, problem(503, 'DATABASE_UNAVAILABLE')]) {
      const c = client([failure, { status: 200, body: { id: 'never' } }]);
      const result = await c.http.request({ method: 'POST', path: '/api/v1/auth/login', body: {}, response: Thing, auth: 'workstation' });
      expect(result.ok).toBe(false);
      expect(c.calls).toHaveLength(1);
      expect(c.calls[0]?.init.headers['idempotency-key']).toBeUndefined();
    }
  });

  it('retries reads after network failures and 502/503/504, up to the attempt limit', async () => {
    const unreachable = { fail: new TransportError(TransportErrorCode.unreachable, 'refused') };
    const c = client([unreachable, { status: 502, body: 'bad gateway', contentType: 'text/html' }, problem(503, 'DATABASE_UNAVAILABLE'), { status: 504, body: '' }]);
    const result = await c.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' });
    expect(result).toMatchObject({ ok: false, error: { code: 'SERVER_ERROR', status: 504 } });
    expect(c.calls).toHaveLength(4);
    expect(c.calls.every((call) => call.init.headers['idempotency-key'] === undefined)).toBe(true);
    expect(c.connectivity).toEqual(['offline', 'offline', 'online', 'offline']);
  });

  it('does not retry TLS and certificate failures: they need a person', async () => {
    for (const code of [TransportErrorCode.tlsMismatch, TransportErrorCode.serverUntrusted, TransportErrorCode.clientCertRejected]) {
      const c = client([{ fail: new TransportError(code, 'x') }, { status: 200, body: { id: 'a' } }]);
      expect(await c.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code } });
      expect(c.calls).toHaveLength(1);
      expect(c.connectivity).toEqual([]);
    }
  });

  it('does not retry 4xx answers, and waits for a keyed duplicate still in progress', async () => {
    const c = client([problem(409, 'IDEMPOTENCY_IN_PROGRESS'), { status: 201, body: { id: 'a' } }]);
    expect(await c.http.request({ method: 'POST', path: '/x', body: {}, response: Thing, auth: 'workstation', idempotent: true })).toMatchObject({ ok: true });
    const d = client([problem(409, 'SEAT_TAKEN'), { status: 201, body: { id: 'a' } }]);
    expect(await d.http.request({ method: 'POST', path: '/x', body: {}, response: Thing, auth: 'workstation', idempotent: true })).toMatchObject({ ok: false, error: { code: 'SEAT_TAKEN' } });
    expect(d.calls).toHaveLength(1);
  });

  it('gives up instead of waiting for a long Retry-After', async () => {
    const c = client([problem(503, 'BUSY_RETRY', { retryAfterSeconds: 120 }), { status: 200, body: { id: 'a' } }]);
    expect(await c.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'BUSY_RETRY', retryAfterSeconds: 120 } });
    expect(c.calls).toHaveLength(1);
  });

  it('sends no key on reads even when asked to', async () => {
    const c = client([{ status: 200, body: { id: 'a' } }]);
    await c.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation', idempotent: true });
    expect(c.calls[0]?.init.headers['idempotency-key']).toBeUndefined();
  });
});

describe('http client: session end', () => {
  it('forgets the token and reports the end with its reason', async () => {
    const c = client([problem(401, 'SESSION_ENDED', { reason: 'superseded' })], { token: 'tok' });
    const result = await c.http.request({ method: 'GET', path: '/api/v1/auth/me', response: Thing, auth: 'session' });
    expect(result).toMatchObject({ ok: false, error: { code: 'SESSION_ENDED', reason: 'superseded', status: 401 } });
    expect(c.session.get()).toBeUndefined();
    expect(c.ended).toEqual([{ code: 'SESSION_ENDED', reason: 'superseded' }]);
  });

  it.each(['SESSION_EXPIRED', 'SESSION_IDLE', 'SESSION_CERT_MISMATCH'])('treats %s as the end of the session', async (code) => {
    const c = client([problem(401, code)], { token: 'tok' });
    await c.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'session' });
    expect(c.ended).toEqual([{ code }]);
  });

  it('reports a revoked workstation as the end of the session', async () => {
    const c = client([problem(403, 'WORKSTATION_REVOKED')], { token: 'tok' });
    await c.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'session' });
    expect(c.ended).toEqual([{ code: 'WORKSTATION_REVOKED' }]);
    expect(c.session.get()).toBeUndefined();
  });

  it('keeps the session on other refusals (a missing right is not a logout)', async () => {
    const c = client([problem(403, 'FORBIDDEN')], { token: 'tok' });
    await c.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'session' });
    expect(c.ended).toEqual([]);
    expect(c.session.get()).toBe('tok');
  });

  it('does not end a session opened meanwhile by another login', async () => {
    const c = client([], { token: 'old' });
    const fetch = vi.fn<FetchLike>(async () => {
      c.session.set('new');
      return { status: 401, headers: { get: () => 'application/problem+json' }, text: async () => JSON.stringify({ code: 'SESSION_ENDED', reason: 'superseded' }) };
    });
    const http = createHttpClient({ baseUrl: '', fetch, session: c.session, newIdempotencyKey: () => 'k'.repeat(16), sleep: async () => undefined, observer: { sessionEnded: (end) => c.ended.push(end) } });
    await http.request({ method: 'GET', path: '/x', response: Thing, auth: 'session' });
    expect(c.session.get()).toBe('new');
    expect(c.ended).toEqual([]);
  });
});

describe('auth api', () => {
  const user = { id: '0b8c3f0e-58a4-4f2f-9d76-2d1c0c9b6f1a', tenantId: '5f0a7c8e-3d2b-4c1a-9e8f-7a6b5c4d3e2f', login: 'kasse', displayName: 'Kasse' };
  const login = { token: 'secret-token', expiresAt: '2030-01-01T08:00:00.000Z', mustChangePassword: false, user, permissions: ['sales.sell'] };

  it('keeps the token inside the client: login returns session facts only', async () => {
    const transport = scripted([{ status: 200, body: login }, { status: 200, body: { user, permissions: ['sales.sell'], mustChangePassword: false, expiresAt: login.expiresAt } }, { status: 204 }]);
    const api = createApiClient({ baseUrl: 'https://k', fetch: transport.fetch, newIdempotencyKey: () => 'k'.repeat(16), sleep: async () => undefined });
    const result = await api.auth.login({ login: 'kasse', password: 'pw' });
    expect(result).toEqual({ ok: true, value: { expiresAt: login.expiresAt, mustChangePassword: false, user, permissions: ['sales.sell'] } });
    expect(JSON.stringify(result)).not.toContain('secret-token');
    expect(api.auth.hasSession()).toBe(true);
    await api.auth.me();
    expect(transport.calls[1]?.init.headers['authorization']).toBe('Bearer secret-token');
    expect(await api.auth.logout()).toEqual({ ok: true, value: null });
    expect(api.auth.hasSession()).toBe(false);
  });

  it('replaces the token after a password change and forgets it after a failed logout', async () => {
    const transport = scripted([{ status: 200, body: login }, { status: 200, body: { token: 'fresh', expiresAt: login.expiresAt } }, { status: 200, body: { id: 'x' } }, { fail: new TransportError(TransportErrorCode.unreachable, 'x') }]);
    const api = createApiClient({ baseUrl: 'https://k', fetch: transport.fetch, newIdempotencyKey: () => 'k'.repeat(16), sleep: async () => undefined });
    await api.auth.login({ login: 'kasse', password: 'pw' });
    expect(await api.auth.changePassword({ currentPassword: 'pw', newPassword: 'Neu!1234567' })).toEqual({ ok: true, value: { expiresAt: login.expiresAt } });
    await api.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'session' });
    expect(transport.calls[2]?.init.headers['authorization']).toBe('Bearer fresh');
    expect((await api.auth.logout()).ok).toBe(false);
    expect(api.auth.hasSession()).toBe(false);
  });
});
