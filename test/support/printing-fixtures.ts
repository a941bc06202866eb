import https from 'node:https';
import type { Knex } from 'knex';
import type { ApiClient } from './identity.js';
import type { KeyPair } from './pki.js';
import { newKey } from './sales-fixtures.js';
import type { TestServer } from './test-server.js';

/**
 * A batch of blanks for an outlet, inserted as the owner (the operator's API for it has its own tests).
 * `registeredBy` is any user id (the operator's staff member).
 */
export async function insertBlankBatch(server: TestServer, outletId: string, first: number, last: number, registeredBy: string): Promise<string> {
  return server.tdb.asAdmin(async (admin: Knex) => {
    const [batch] = await admin('blank_batches').insert({ tenant_id: outletId, first_number: first, last_number: last, registered_at: new Date(), registered_by: registeredBy }).returning('id');
    await admin.raw('INSERT INTO blanks (number, tenant_id, batch_id) SELECT g, ?, ? FROM generate_series(?::bigint, ?::bigint) g', [outletId, batch.id, first, last]);
    return batch.id as string;
  });
}

/** A paid counter sale of `quantity` general-admission tickets through the API; returns the order. */
export async function sellGa(client: ApiClient, eventId: string, categoryId: string, quantity: number, priceCents = 3500): Promise<{ id: string; orderNumber: number; tickets: Array<{ id: string }> }> {
  const res = await client.request(
    'POST',
    '/api/v1/orders',
    { eventId, channel: 'counter', items: [{ categoryId, quantity }], payment: { method: 'cash', givenCents: quantity * priceCents } },
    { 'idempotency-key': newKey() },
  );
  if (res.status !== 201) throw new Error(`sale failed: ${res.status} ${res.body}`);
  return res.json;
}

/** Issues a print job for the order (all unprinted tickets unless ticketIds are given). */
export function printJob(client: ApiClient, orderId: string, body: Record<string, unknown> = {}, key = newKey()) {
  return client.request('POST', `/api/v1/orders/${orderId}/print-jobs`, body, { 'idempotency-key': key });
}

/** The raw bytes of a GET (the shared helper decodes bodies as UTF-8). */
export function getBytes(server: TestServer, client: ApiClient, ws: Pick<KeyPair, 'certPem' | 'keyPem'>, path: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port: server.port,
        path,
        method: 'GET',
        ca: server.pki.ca.certPem,
        cert: ws.certPem,
        key: ws.keyPem,
        agent: false,
        headers: { authorization: `Bearer ${client.token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
