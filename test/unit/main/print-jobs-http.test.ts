import { describe, expect, it } from 'vitest';
import { createPrintService } from '../../../src/main/services/print-service.js';
import { createHttpPrintJobBackend } from '../../../src/main/services/print-jobs-http.js';
import { createApiClient } from '../../../src/shared/api-client/api-client.js';
import type { FetchLikeInit } from '../../../src/shared/api-client/transport.js';
import { createMemorySessionStore } from '../../../src/shared/api-client/session-store.js';
import { sampleFace } from '../../../src/shared/ticket-sheet/sample-faces.js';

const ORDER = '11111111-1111-4111-8111-111111111111';
const JOB = '22222222-2222-4222-8222-222222222222';

function client(answer: (method: string, path: string, body: unknown) => { status: number; body?: unknown }) {
  const calls: Array<{ url: string; init: FetchLikeInit }> = [];
  const session = createMemorySessionStore();
  session.set('token-1');
  const api = createApiClient({
    baseUrl: 'https://kasse.example.de:8443',
    session,
    newIdempotencyKey: () => 'key-1',
    sleep: async () => undefined,
    retry: { attempts: 1 },
    fetch: async (url, init) => {
      calls.push({ url, init });
      const { status, body } = answer(init.method, new URL(url).pathname, init.body === undefined ? undefined : JSON.parse(init.body));
      const text = body === undefined ? '' : JSON.stringify(body);
      return { status, headers: { get: (name: string) => (name === 'content-type' ? (status >= 400 ? 'application/problem+json' : 'application/json') : null) }, text: async () => text };
    },
  });
  return { http: api.http, calls };
}

describe('print jobs over HTTPS', () => {
  it('issues a job with an idempotency key and reads its faces; confirms and spoils by blank number', async () => {
    const tickets = [sampleFace(4), sampleFace(5)];
    const { http, calls } = client((method, path) => {
      if (path === `/api/v1/orders/${ORDER}/print-jobs` || path.endsWith('/reprint')) return { status: 201, body: { id: JOB, startPosition: 1, tickets, prints: [], kind: 'print' } };
      return { status: 200, body: { id: JOB } };
    });
    const backend = createHttpPrintJobBackend(http);
    const issued = await backend.issue(ORDER);
    expect(issued).toEqual({ ok: true, value: expect.objectContaining({ id: JOB, startPosition: 1, tickets }) });
    expect(calls[0]!.init.headers).toMatchObject({ 'idempotency-key': 'key-1', authorization: 'Bearer token-1' });
    expect(JSON.parse(calls[0]!.init.body!)).toEqual({});
    await backend.issue(ORDER, [tickets[0]!.ticketId]);
    expect(JSON.parse(calls[1]!.init.body!)).toEqual({ ticketIds: [tickets[0]!.ticketId] });
    expect((await backend.confirm(JOB, [4, 5])).ok).toBe(true);
    expect(calls[2]).toMatchObject({ url: `https://kasse.example.de:8443/api/v1/print-jobs/${JOB}/confirm` });
    expect(JSON.parse(calls[2]!.init.body!)).toEqual({ blankNumbers: [4, 5] });
    expect((await backend.spoil(JOB, [4], 'paper_jam')).ok).toBe(true);
    expect(JSON.parse(calls[3]!.init.body!)).toEqual({ blankNumbers: [4], reason: 'paper_jam' });
    const ticket = tickets[0]!.ticketId;
    expect(await backend.reprint(ticket, 'other', 'Kaffee')).toMatchObject({ ok: true });
    expect(calls[4]).toMatchObject({ url: `https://kasse.example.de:8443/api/v1/tickets/${ticket}/reprint`, init: { headers: { 'idempotency-key': 'key-1' } } });
    expect(JSON.parse(calls[4]!.init.body!)).toEqual({ reason: 'other', note: 'Kaffee' });
  });

  it('passes the server’s refusal on as its code (unpaid order)', async () => {
    const { http } = client(() => ({ status: 409, body: { type: 'about:blank', title: 'Conflict', status: 409, code: 'ORDER_NOT_PAID', detail: 'pay first' } }));
    expect(await createHttpPrintJobBackend(http).issue(ORDER)).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_PAID', status: 409 } });
  });

  it('takes PRINT_ALREADY_CONFIRMED on a repeated confirmation as done', async () => {
    let confirms = 0;
    const { http } = client((_method, path) => {
      if (path.endsWith('/print-jobs')) return { status: 201, body: { id: JOB, startPosition: 1, tickets: [sampleFace(1)] } };
      confirms += 1;
      // The first confirmation reached the server, but its answer was lost.
      return confirms === 1 ? { status: 503, body: { code: 'SERVICE_UNAVAILABLE', status: 503, title: 'x' } } : { status: 409, body: { code: 'PRINT_ALREADY_CONFIRMED', status: 409, title: 'x' } };
    });
    const printer = {
      list: async () => ({ ok: true as const, value: [] }),
      status: async () => ({ ok: true as const, value: { name: 'P', state: 'idle' as const, isDefault: true } }),
      print: async () => ({ ok: true as const, value: { jobId: 'P-1' } }),
    };
    const renderer = { renderTickets: async () => Buffer.from('%PDF-') };
    const service = createPrintService({ printer, renderer, clock: { now: () => new Date() }, log: { info() {}, warn() {}, error() {} }, backend: createHttpPrintJobBackend(http) });
    expect(await service.printOrder(ORDER, { printerName: 'P', calibration: { offsetXMm: 0, offsetYMm: 0 } })).toMatchObject({ ok: true, confirmed: false });
    await service.resolvePending();
    expect(service.unresolved()).toEqual([]);
  });
});
