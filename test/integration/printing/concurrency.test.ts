import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { insertBlankBatch, printJob, sellGa } from '../../support/printing-fixtures.js';
import { createSalesFixture, newKey, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const STATIONS = 5;

// Real concurrency needs connections that run side by side: the PostgreSQL server (PGlite is one session).
const run = testBackends().includes('postgres') ? describe : describe.skip; // skipped only when TEST_BACKENDS excludes postgres

run('printing under concurrency (postgres)', () => {
  let server: TestServer;
  let fx: SalesFixture;
  /** One clerk per workstation (a user has one session), each workstation with its own paper. */
  const stations: ApiClient[] = [];

  const livePrints = (ticketId: string) =>
    server.tdb.asAdmin((db: Knex) => db('ticket_prints').where({ ticket_id: ticketId }).whereIn('status', ['pending', 'active']).orderBy('status').select<Array<{ status: string; print_job_id: string }>>('status', 'print_job_id'));
  const reprintAll = (ticketId: string) =>
    Promise.all(stations.flatMap((s) => [0, 1].map(() => s.request('POST', `/api/v1/tickets/${ticketId}/reprint`, { reason: 'damaged' }, { 'idempotency-key': newKey() }))));

  beforeAll(async () => {
    server = await startTestServer('postgres');
    fx = await createSalesFixture(server, { gaCapacity: 500 });
    for (let i = 0; i < STATIONS; i += 1) {
      const ws = i === 0 ? server.workstation : await server.registerWorkstation(server.tenants.outlet, `kasse-${i + 1}`);
      const user = await createUser(server, server.tenants.outlet, `kasse.${i + 1}`, ['sales.sell', 'sales.cancel', 'tickets.print', 'tickets.reprint']);
      await openTill(server, server.tenants.outlet, ws.id, user.id);
      if (i === 0) await insertBlankBatch(server, server.tenants.outlet, 1, 600, user.id);
      const client = await loginAs(server, ws, user);
      // 40 sheets of paper per station.
      expect((await client.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: 120 * i + 1 })).status).toBe(200);
      stations.push(client);
    }
  });
  afterAll(async () => {
    await server.close();
  });

  it('lets exactly one of 10 concurrent reprints of a ticket through, round after round', async () => {
    const clerk = stations[0]!;
    const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 1);
    const ticketId = order.tickets[0]!.id;
    const job = await printJob(clerk, order.id);
    expect((await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {})).status).toBe(200);
    for (let round = 0; round < 3; round += 1) {
      const results = await reprintAll(ticketId);
      const won = results.filter((r) => r.status === 201);
      expect(won, `round ${round}: ${JSON.stringify(results.map((r) => [r.status, r.json?.code]))}`).toHaveLength(1);
      for (const r of results.filter((x) => x.status !== 201)) expect([r.status, r.json.code]).toEqual([409, 'PRINT_PENDING']);
      // One live print at any time: the winner's, pending; the one before it is void.
      expect(await livePrints(ticketId)).toEqual([{ status: 'pending', print_job_id: won[0]!.json.id }]);
      // Any clerk of the outlet may confirm it.
      expect((await clerk.request('POST', `/api/v1/print-jobs/${won[0]!.json.id}/confirm`, {})).status).toBe(200);
      expect(await livePrints(ticketId)).toEqual([{ status: 'active', print_job_id: won[0]!.json.id }]);
    }
    const all = await server.tdb.asAdmin((db: Knex) => db('ticket_prints').where({ ticket_id: ticketId }).select('status', 'void_reason', 'reprint_count'));
    expect(all.map((p: { status: string }) => p.status).sort()).toEqual(['active', 'void', 'void', 'void']);
    expect(Math.max(...all.map((p: { reprint_count: number }) => p.reprint_count))).toBe(3);
    // Every blank handed out is accounted for: 4 printed, nothing left issued.
    const issued = await server.tdb.asAdmin((db: Knex) => db('blanks').where({ state: 'issued' }).count<Array<{ count: string }>>('* as count'));
    expect(Number(issued[0]?.count)).toBe(0);
  });

  it('prints the tickets of one order once when five stations ask at the same moment', async () => {
    const order = await sellGa(stations[0]!, fx.eventId, fx.gaCategoryId, 2);
    const results = await Promise.all(stations.map((s) => printJob(s, order.id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect([r.status, r.json.code]).toEqual([409, 'NOTHING_TO_PRINT']);
    for (const t of order.tickets) expect(await livePrints(t.id)).toHaveLength(1);
  });

  it('replays one print job to concurrent retries with the same key', async () => {
    const order = await sellGa(stations[1]!, fx.eventId, fx.gaCategoryId, 1);
    const key = newKey();
    const results = await Promise.all(Array.from({ length: 5 }, () => printJob(stations[1]!, order.id, {}, key)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(4);
    const jobs = await server.tdb.asAdmin((db: Knex) => db('print_jobs').where({ order_id: order.id }).count<Array<{ count: string }>>('* as count'));
    expect(Number(jobs[0]?.count)).toBe(1);
  });

  it('leaves no live print when a cancellation and reprints race for the same ticket', async () => {
    const clerk = stations[0]!;
    for (let round = 0; round < 3; round += 1) {
      const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 1);
      const ticketId = order.tickets[0]!.id;
      const job = await printJob(clerk, order.id);
      await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {});
      const [cancel] = await Promise.all([
        clerk.request('POST', `/api/v1/orders/${order.id}/cancel`, { reason: 'Storno' }, { 'idempotency-key': newKey() }),
        ...stations.slice(1).map((s) => s.request('POST', `/api/v1/tickets/${ticketId}/reprint`, { reason: 'lost' }, { 'idempotency-key': newKey() })),
      ]);
      expect(cancel.status).toBe(200);
      expect(await livePrints(ticketId)).toEqual([]);
    }
  });
});
