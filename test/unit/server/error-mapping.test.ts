import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../../../server/src/db/database.js';
import { registerErrorHandling } from '../../../server/src/plugins/errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

/** What a route sees from pg and knex when the database server goes away (shapes taken from a killed cluster). */
const UNAVAILABLE: Array<[string, Error]> = [
  ['a query whose connection died (server killed)', new Error('select pg_sleep(3) - Connection terminated unexpectedly')],
  ['a ROLLBACK on a dead connection', new Error('ROLLBACK - Client has encountered a connection error and is not queryable')],
  ['a query on a closed client', new Error('Client was closed and is not queryable')],
  ['a connection timeout', new Error('Connection terminated due to connection timeout')],
  ['the pool timeout', new Error('Knex: Timeout acquiring a connection. The pool is probably full.')],
  ['a refused connect', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
  ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
  ['a broken pipe', withCode('write EPIPE', 'EPIPE')],
  ['an unknown host', withCode('getaddrinfo ENOTFOUND db', 'ENOTFOUND')],
  ['a fast shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01')],
  ['a server starting up (57P03)', withCode('the database system is starting up', '57P03')],
  ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
  ['a connection exception (08006)', withCode('connection failure', '08006')],
  ['the open-time error', new DatabaseUnavailableError('database did not answer within 2000 ms')],
];

async function answerTo(error: Error) {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  app.get('/x', async () => {
    throw error;
  });
  try {
    const res = await app.inject({ method: 'GET', url: '/x' });
    return { status: res.statusCode, body: res.json<{ code: string; detail?: string }>() };
  } finally {
    await app.close();
  }
}

describe('error mapping: the database going away', () => {
  it.each(UNAVAILABLE)('answers %s with 503 DATABASE_UNAVAILABLE, not 500', async (_name, error) => {
    const { status, body } = await answerTo(error);
    expect(status).toBe(503);
    expect(body.code).toBe('DATABASE_UNAVAILABLE');
    // The driver's text stays in the log.
    expect(body.detail).not.toContain(error.message);
  });

  it('still answers an unknown error 500 INTERNAL and a lock timeout 503 BUSY_RETRY', async () => {
    expect(await answerTo(new Error('undefined is not a function'))).toMatchObject({ status: 500, body: { code: 'INTERNAL' } });
    expect(await answerTo(withCode('duplicate key value violates unique constraint', '23505'))).toMatchObject({ status: 500, body: { code: 'INTERNAL' } });
    expect(await answerTo(withCode('canceling statement due to lock timeout', '55P03'))).toMatchObject({ status: 503, body: { code: 'BUSY_RETRY' } });
  });
});
