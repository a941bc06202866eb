import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidBarcode } from '../../../src/shared/barcode.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import { insertBlankBatch, printJob, sellGa } from '../../support/printing-fixtures.js';
import { createSalesFixture, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/**
 * A random source that records what it hands out and, when asked, hands the same bytes out again: the
 * next barcode drawn is then one that exists already, as a (1 in 10^20) collision would have it.
 */
function replayableRandom() {
  const recorded: Buffer[] = [];
  let replaying = false;
  let next = 0;
  let freshAfterReplay = 0;
  return {
    source: (n: number): Uint8Array => {
      if (replaying && next < recorded.length) return recorded[next++]!;
      const bytes = randomBytes(n);
      if (replaying) freshAfterReplay += 1;
      else recorded.push(bytes);
      return bytes;
    },
    /** Draws after the recorded bytes were used up: only a retry after a collision makes them. */
    freshAfterReplay: () => freshAfterReplay,
    replay() {
      replaying = true;
      next = 0;
    },
  };
}

for (const backend of testBackends()) {
  describe(`barcode collisions (${backend})`, () => {
    const random = replayableRandom();
    let server: TestServer;
    let fx: SalesFixture;
    let clerkA: ApiClient;
    let clerkB: ApiClient;

    const clerkAt = async (tenantId: string, login: string, ws: { id: string; certPem: string; keyPem: string }) => {
      const user = await createUser(server, tenantId, login, ['sales.sell', 'tickets.print']);
      await openTill(server, tenantId, ws.id, user.id);
      await insertBlankBatch(server, tenantId, tenantId === server.tenants.outlet ? 1 : 301, tenantId === server.tenants.outlet ? 30 : 330, user.id);
      const client = await loginAs(server, ws, user);
      expect((await client.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: tenantId === server.tenants.outlet ? 1 : 301 })).status).toBe(200);
      return client;
    };

    beforeAll(async () => {
      server = await startTestServer(backend, { printing: { randomBytes: random.source } });
      fx = await createSalesFixture(server, { sellers: [server.tenants.outlet, server.tenants.outletB] });
      clerkA = await clerkAt(server.tenants.outlet, 'kasse.a', server.workstation);
      clerkB = await clerkAt(server.tenants.outletB, 'kasse.b', await server.registerWorkstation(server.tenants.outletB, 'kasse-b'));
    });
    afterAll(async () => {
      await server.close();
    });

    it("draws a new barcode when one collides with another outlet's print it cannot even see", async () => {
      const first = await printJob(clerkA, (await sellGa(clerkA, fx.eventId, fx.gaCategoryId, 1)).id);
      expect(first.status).toBe(201);
      const taken = first.json.tickets[0].barcode as string;
      random.replay();
      const second = await printJob(clerkB, (await sellGa(clerkB, fx.eventId, fx.gaCategoryId, 1)).id);
      expect(second.status).toBe(201);
      const fresh = second.json.tickets[0].barcode as string;
      expect(isValidBarcode(fresh)).toBe(true);
      expect(fresh).not.toBe(taken);
      expect(random.freshAfterReplay()).toBeGreaterThan(0);
      // The retry ran inside the same transaction: the job, its print and its audit row are all there.
      const rows = await server.tdb.asAdmin(async (db) => ({
        prints: await db('ticket_prints').orderBy('blank_number').select('barcode', 'blank_number', 'tenant_id'),
        audits: await db('audit_log').where({ action: 'print_job.create' }).pluck('entity_id'),
      }));
      expect(rows.prints).toEqual([
        { barcode: taken, blank_number: 1, tenant_id: server.tenants.outlet },
        { barcode: fresh, blank_number: 301, tenant_id: server.tenants.outletB },
      ]);
      expect(rows.audits.sort()).toEqual([first.json.id, second.json.id].sort());
    });
  });
}
