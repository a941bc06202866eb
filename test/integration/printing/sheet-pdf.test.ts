import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../server/src/clock.js';
import { testBackends } from '../../support/backends.js';
import { createUser, loginAs, type ApiClient } from '../../support/identity.js';
import type { KeyPair } from '../../support/pki.js';
import { getBytes, insertBlankBatch, printJob, sellGa } from '../../support/printing-fixtures.js';
import { createSalesFixture, newKey, openTill, type SalesFixture } from '../../support/sales-fixtures.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { pdfText } from '../../unit/server/pdf/pdf-text.js';

for (const backend of testBackends()) {
  describe(`ticket sheet as PDF for the browser's print path (${backend})`, () => {
    const clock = fixedClock(new Date());
    let server: TestServer;
    let fx: SalesFixture;
    let clerk: ApiClient;
    let other: ApiClient;
    let otherWs: KeyPair & { id: string };
    let viewer: ApiClient;
    let viewerWs: KeyPair & { id: string };

    beforeAll(async () => {
      server = await startTestServer(backend, { clock });
      fx = await createSalesFixture(server);
      const clerkUser = await createUser(server, server.tenants.outlet, 'kasse.pdf', ['sales.sell', 'tickets.print', 'tickets.reprint']);
      clerk = await loginAs(server, server.workstation, clerkUser);
      await openTill(server, server.tenants.outlet, server.workstation.id, clerkUser.id);
      await insertBlankBatch(server, server.tenants.outlet, 601, 660, clerkUser.id);
      expect((await clerk.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: 601 })).status).toBe(200);
      otherWs = await server.registerWorkstation(server.tenants.outlet, 'kasse-pdf-2');
      other = await loginAs(server, otherWs, await createUser(server, server.tenants.outlet, 'kasse.pdf2', ['tickets.print']));
      viewerWs = await server.registerWorkstation(server.tenants.outlet, 'buero-pdf');
      viewer = await loginAs(server, viewerWs, await createUser(server, server.tenants.outlet, 'nur.verkauf', ['sales.sell']));
    });
    afterAll(async () => {
      await server.close();
    });

    const sheet = (client: ApiClient, ws: Pick<KeyPair, 'certPem' | 'keyPem'>, jobId: string) => getBytes(server, client, ws, `/api/v1/print-jobs/${jobId}/sheet.pdf`);

    it('renders the pending blanks of a job at its workstation, and nothing once confirmed', async () => {
      const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 2);
      const job = await printJob(clerk, order.id);
      expect(job.status).toBe(201);
      const pdf = await sheet(clerk, server.workstation, job.json.id);
      expect(pdf.status).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['cache-control']).toBe('no-store');
      expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');
      const { text } = pdfText(pdf.body);
      expect(text).toContain('Sommerkonzert');
      for (const face of job.json.tickets) expect(text).toContain(String(face.blankNumber));

      // Another workstation of the same outlet holds other paper: refused.
      const foreign = await sheet(other, otherWs, job.json.id);
      expect([foreign.status, JSON.parse(foreign.body.toString()).code]).toEqual([403, 'PRINT_JOB_OTHER_WORKSTATION']);
      // Without tickets.print: refused by the route's right.
      const unauthorised = await sheet(viewer, viewerWs, job.json.id);
      expect([unauthorised.status, JSON.parse(unauthorised.body.toString()).code]).toEqual([403, 'FORBIDDEN']);

      expect((await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {})).status).toBe(200);
      const again = await sheet(clerk, server.workstation, job.json.id);
      expect([again.status, JSON.parse(again.body.toString()).code]).toEqual([409, 'PRINT_ALREADY_CONFIRMED']);
    });

    it('renders a reprint on its new blank, and nothing for a spoiled job', async () => {
      const order = await sellGa(clerk, fx.eventId, fx.gaCategoryId, 1);
      const job = await printJob(clerk, order.id);
      expect((await clerk.request('POST', `/api/v1/print-jobs/${job.json.id}/confirm`, {})).status).toBe(200);
      const reprint = await clerk.request('POST', `/api/v1/tickets/${order.tickets[0]!.id}/reprint`, { reason: 'damaged' }, { 'idempotency-key': newKey() });
      expect(reprint.status).toBe(201);
      const pdf = await sheet(clerk, server.workstation, reprint.json.id);
      expect(pdf.status).toBe(200);
      expect(pdfText(pdf.body).text).toContain(String(reprint.json.firstBlank));
      const spoiled = await clerk.request('POST', `/api/v1/print-jobs/${reprint.json.id}/spoil`, { blankNumbers: [reprint.json.firstBlank], reason: 'misprint' });
      expect(spoiled.status).toBe(200);
      expect((await sheet(clerk, server.workstation, reprint.json.id)).status).toBe(409);
    });

    it('answers 404 for an unknown job', async () => {
      expect((await sheet(clerk, server.workstation, '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2c')).status).toBe(404);
    });
  });
}
