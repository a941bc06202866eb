import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs } from '../../support/identity.js';
import { httpsRequest, type HttpsResult } from '../../support/https.js';
import { counters, createSalesFixture, newKey, openTill } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * The rule customers care about most: no oversell. Real concurrency needs the PostgreSQL server (PGlite
 * is a single connection and serialises everything), so this runs there only.
 */
const BUYERS = 200;
const ROUNDS = Number(process.env['OVERSELL_ROUNDS'] ?? 20);
const SEATS = 50;
const GA = 50;
const GA_QUOTA = 45;

const run = testBackends().includes('postgres') ? describe : describe.skip; // skipped only when TEST_BACKENDS excludes postgres

run('no oversell under concurrent buyers (postgres)', () => {
  let server: TestServer;
  const agent = new https.Agent({ keepAlive: true, maxSockets: 64 });
  const tokens: string[] = [];

  beforeAll(async () => {
    // 200 clerks signing in through one test workstation within a minute: the per-workstation login
    // limit (120 per minute by default) is meant for real counters and is lifted here.
    server = await startTestServer('postgres', { config: { limits: { windowSeconds: 60, perWorkstation: 0, loginPerWorkstation: 0, heavyPerWorkstation: 0 } } });
    const users = await Promise.all(Array.from({ length: BUYERS }, (_, i) => createUser(server, server.tenants.outlet, `kaeufer.${i}`, ['sales.sell'])));
    for (const user of users) {
      await openTill(server, server.tenants.outlet, server.workstation.id, user.id);
      tokens.push((await loginAs(server, server.workstation, user)).token!);
    }
  }, 300_000);
  afterAll(async () => {
    agent.destroy();
    await server.close();
  });

  /** One buyer's attempt; a busy refusal (503, nothing changed) is retried as a real client would. */
  async function buy(token: string, body: Record<string, unknown>): Promise<HttpsResult> {
    const key = newKey();
    for (let attempt = 0; ; attempt += 1) {
      const res = await httpsRequest({
        port: server.port,
        path: '/api/v1/orders',
        method: 'POST',
        ca: server.pki.ca.certPem,
        identity: { cert: server.workstation.certPem, key: server.workstation.keyPem },
        headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
        body,
        agent,
      });
      if (res.status !== 503 || attempt >= 20) return res;
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 50));
    }
  }

  it(`${BUYERS} buyers race for the last ${SEATS} seats and ${GA} standing places (quota ${GA_QUOTA}), ${ROUNDS} rounds`, async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const fx = await createSalesFixture(server, { gaCapacity: GA, rows: 5, seatsPerRow: SEATS / 5, quotas: { ga: GA_QUOTA } });
      const attempts = tokens.flatMap((token, i) => [
        // Half pick a concrete seat (many collide), half ask for the best available one.
        buy(
          token,
          i % 2 === 0
            ? { eventId: fx.eventId, channel: 'counter', seats: [{ seatId: fx.seatIds[i % SEATS] }], payment: { method: 'cash', givenCents: 5500 } }
            : { eventId: fx.eventId, channel: 'counter', bestAvailable: [{ categoryId: fx.seatedCategoryId, quantity: 1 }], payment: { method: 'cash', givenCents: 5500 } },
        ),
        buy(token, { eventId: fx.eventId, channel: 'counter', items: [{ categoryId: fx.gaCategoryId, quantity: 1 }], payment: { method: 'card', reference: `K-${i}` } }),
      ]);
      const results = await Promise.all(attempts);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s !== 201 && s !== 409), `round ${round}: unexpected ${JSON.stringify(results.find((r) => r.status !== 201 && r.status !== 409)?.json)}`).toEqual([]);
      const soldSeats = results.filter((r, i) => i % 2 === 0 && r.status === 201).length;
      const soldGa = results.filter((r, i) => i % 2 === 1 && r.status === 201).length;
      expect(soldSeats, `round ${round} seats`).toBe(SEATS);
      expect(soldGa, `round ${round} standing`).toBe(GA_QUOTA);
      const c = await counters(server, fx);
      expect(c.categories['Kat 1']).toEqual({ sold: SEATS, valid: SEATS });
      expect(c.categories['Stehplatz']).toEqual({ sold: GA_QUOTA, valid: GA_QUOTA });
      expect(c.soldSeats).toBe(SEATS);
      const quota = await server.tdb.asAdmin((db) => db('sales_quotas').where({ category_id: fx.gaCategoryId }).first('sold'));
      expect(quota).toEqual({ sold: GA_QUOTA });
      const doubleSold = await server.tdb.asAdmin((db) =>
        db('tickets').where({ event_id: fx.eventId, status: 'valid' }).whereNotNull('seat_id').groupBy('seat_id').havingRaw('count(*) > 1').select('seat_id'),
      );
      expect(doubleSold).toEqual([]);
    }
  }, 600_000);
});
