import { Type } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../../server/src/app.js';
import { systemClock } from '../../../server/src/clock.js';
import { AppError } from '../../../server/src/errors.js';
import { testAppConfig } from '../../support/app-config.js';
import { testBackends } from '../../support/backends.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-db.js';

const backend = testBackends()[0] ?? 'pglite';

describe('errors leave the server as problem JSON with a stable code', () => {
  let tdb: TestDatabase;
  let app: App;

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    app = await buildApp({
      config: testAppConfig({ bodyLimitBytes: 1024 }),
      db: tdb.db,
      clock: systemClock,
    });
    app.get('/test/boom', async () => {
      throw new Error('connection string postgres://secret@db/prod exploded');
    });
    app.get('/test/conflict', async () => {
      throw new AppError(409, 'SEAT_TAKEN', 'Seat A-1-5 is already sold.');
    });
    // The message and SQLSTATE the trigger payments_refuse_closed_till raises, from the real database.
    app.get('/test/closed-till', async () => {
      await tdb.db.knex.raw(`DO $$ BEGIN RAISE EXCEPTION 'till session 0b7e is closed; no payment can be added to it' USING ERRCODE = 'check_violation'; END $$`);
    });
    app.get('/test/other-check', async () => {
      await tdb.db.knex.raw(`DO $$ BEGIN RAISE EXCEPTION 'some other rule' USING ERRCODE = 'check_violation'; END $$`);
    });
    app.post(
      '/test/echo',
      { schema: { body: Type.Object({ quantity: Type.Integer({ minimum: 1 }), name: Type.String({ maxLength: 5 }) }, { additionalProperties: false }) } },
      async (request) => request.body,
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await tdb.cleanup();
  });

  it('hides the text of internal errors and quotes the request id', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ status: 500, code: 'INTERNAL', title: 'Internal Server Error' });
    expect(res.body).not.toContain('secret');
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('passes application errors through with their code', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'SEAT_TAKEN', detail: 'Seat A-1-5 is already sold.' });
  });

  it('answers a payment into a till closed meanwhile with TILL_NOT_OPEN, other check violations as internal', async () => {
    const res = await app.inject({ method: 'GET', url: '/test/closed-till' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'TILL_NOT_OPEN' });
    const other = await app.inject({ method: 'GET', url: '/test/other-check' });
    expect(other.statusCode).toBe(500);
    expect(other.body).not.toContain('some other rule');
  });

  it('reports schema violations with the offending paths', async () => {
    const res = await app.inject({ method: 'POST', url: '/test/echo', payload: { quantity: 0, name: 'toolong', extra: 1 } });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e: { path: string }) => e.path).join(' ')).toMatch(/body/);
    const ok = await app.inject({ method: 'POST', url: '/test/echo', payload: { quantity: 2, name: 'abc' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ quantity: 2, name: 'abc' });
  });

  it('refuses bodies that are too large, malformed or of the wrong type', async () => {
    const big = await app.inject({ method: 'POST', url: '/test/echo', payload: { quantity: 1, name: 'x'.repeat(5000) } });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('PAYLOAD_TOO_LARGE');
    const malformed = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"quantity":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('VALIDATION_FAILED');
    const text = await app.inject({ method: 'POST', url: '/test/echo', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown routes with NOT_FOUND problem JSON', async () => {
    const res = await app.inject({ method: 'GET', url: '/nothing/here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', instance: '/nothing/here' });
  });

  it('refuses API requests over a connection without TLS', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/whoami' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('CLIENT_CERT_REQUIRED');
  });

  it('turns readiness to 503 when the database is gone while liveness stays up', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    const other = await createTestDatabase(backend);
    const lonely = await buildApp({
      config: testAppConfig({ bodyLimitBytes: 1024 }),
      db: other.db,
      clock: systemClock,
    });
    try {
      await other.db.close();
      const res = await lonely.inject({ method: 'GET', url: '/health/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable' });
      expect((await lonely.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    } finally {
      await lonely.close();
      await other.cleanup();
    }
  });
});
