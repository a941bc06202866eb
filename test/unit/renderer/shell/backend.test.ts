import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { OrderSummary } from '../../../../src/shared/api/sales.js';
import type { BoxofficeApi } from '../../../../src/renderer/app/bridge.js';
import { createDesktopBackend, createWebBackend } from '../../../../src/renderer/lib/backend.js';

const LIST = Type.Array(OrderSummary);
const SUMMARY = { id: '00000000-0000-4000-8000-00000000a0a0', orderNumber: 7, eventId: '00000000-0000-4000-8000-000000000e01', status: 'paid', customerName: '', totalCents: 100, createdAt: '2026-12-04T18:00:00.000Z' };

function fakeBridge(answer: unknown) {
  const calls: unknown[] = [];
  let ended: ((end: { code: string; reason?: string }) => void) | undefined;
  const bridge = {
    api: {
      request: async (args: unknown) => {
        calls.push(args);
        return answer;
      },
    },
    events: {
      sessionEnded: (listener: (end: { code: string; reason?: string }) => void) => {
        ended = listener;
        return () => undefined;
      },
    },
  } as unknown as BoxofficeApi;
  return { bridge, calls, end: (end: { code: string; reason?: string }) => ended?.(end) };
}

describe('backend port, desktop side', () => {
  it('sends the request through the bridge without undefined query values and checks the answer against the contract', async () => {
    const { bridge, calls } = fakeBridge({ ok: true, value: [SUMMARY] });
    const backend = createDesktopBackend(bridge);
    const result = await backend.request({ method: 'GET', path: '/api/v1/orders', query: { number: 7, customer: undefined }, response: LIST });
    expect(result).toEqual({ ok: true, value: [SUMMARY] });
    expect(calls).toEqual([{ method: 'GET', path: '/api/v1/orders', query: { number: 7 }, expectBody: true }]);
  });

  it('refuses an answer that does not match the contract', async () => {
    const { bridge } = fakeBridge({ ok: true, value: [{ ...SUMMARY, totalCents: 'viel' }] });
    const result = await createDesktopBackend(bridge).request({ method: 'GET', path: '/api/v1/orders', response: LIST });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
  });

  it('passes coded errors and session ends through', async () => {
    const { bridge, end } = fakeBridge({ ok: false, error: { code: 'API_ROUTE_NOT_ALLOWED', message: 'no' } });
    const backend = createDesktopBackend(bridge);
    expect(await backend.request({ method: 'POST', path: '/api/v1/users', body: {}, response: null, idempotent: true })).toMatchObject({ ok: false, error: { code: 'API_ROUTE_NOT_ALLOWED' } });
    const seen: unknown[] = [];
    backend.onSessionEnded((e) => seen.push(e));
    end({ code: 'SESSION_ENDED', reason: 'superseded' });
    expect(seen).toEqual([{ code: 'SESSION_ENDED', reason: 'superseded' }]);
  });
});

describe('backend port, web side', () => {
  it('sends the session token it got at login, and fetches documents with it', async () => {
    const seen: Array<{ url: string; headers: Record<string, string> }> = [];
    const win = {
      location: { origin: 'https://kasse.example' },
      crypto: { randomUUID: () => '11111111-2222-4333-8444-555555555555' },
      setTimeout: (fn: () => void) => setTimeout(fn, 0),
      fetch: async (url: string, init: RequestInit) => {
        seen.push({ url, headers: init.headers as Record<string, string> });
        if (url.endsWith('/auth/login')) {
          return new Response(JSON.stringify({ token: 'geheim', expiresAt: '2026-12-04T20:00:00.000Z', mustChangePassword: false, user: { id: SUMMARY.id, tenantId: SUMMARY.id, login: 'k', displayName: 'K' }, permissions: [] }), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          });
        }
        if (url.endsWith('.pdf')) return new Response('%PDF-1.7', { status: 200, headers: { 'content-type': 'application/pdf' } });
        return new Response(JSON.stringify([SUMMARY]), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    } as unknown as Parameters<typeof createWebBackend>[0];
    const backend = createWebBackend(win);
    expect(await backend.fetchDocument?.('/api/v1/print-jobs/x/sheet.pdf')).toMatchObject({ ok: false, error: { code: 'SESSION_REQUIRED' } });
    expect((await backend.login({ login: 'k', password: 'p' })).ok).toBe(true);
    expect(await backend.request({ method: 'GET', path: '/api/v1/orders', response: LIST })).toEqual({ ok: true, value: [SUMMARY] });
    const pdf = await backend.fetchDocument?.('/api/v1/print-jobs/x/sheet.pdf');
    expect(pdf?.ok === true ? await pdf.value.text() : undefined).toBe('%PDF-1.7');
    expect(seen.slice(1).map((r) => [r.url, r.headers['authorization']])).toEqual([
      ['https://kasse.example/api/v1/orders', 'Bearer geheim'],
      ['https://kasse.example/api/v1/print-jobs/x/sheet.pdf', 'Bearer geheim'],
    ]);
  });
});
