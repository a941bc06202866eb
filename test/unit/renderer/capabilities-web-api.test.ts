import { describe, expect, it, vi } from 'vitest';
import type { BoxofficeApi } from '../../../src/renderer/app/bridge.js';
import { capabilitiesFor } from '../../../src/renderer/lib/capabilities.js';
import { createBrowserTransport, createWebApiClient } from '../../../src/renderer/lib/web-api.js';

describe('capabilities', () => {
  it('offers PDF and keyboard-wedge scanning in the browser, silent printing and HID at the station', () => {
    expect(capabilitiesFor(undefined)).toEqual({ desktop: false, silentPrinting: false, hidScanner: false, keyboardWedgeScanner: true, pdfDownload: true });
    expect(capabilitiesFor({} as BoxofficeApi)).toMatchObject({ desktop: true, silentPrinting: true, hidScanner: true, keyboardWedgeScanner: true });
  });
});

describe('web API client', () => {
  const whoami = {
    workstation: { id: '0b8c3f0e-58a4-4f2f-9d76-2d1c0c9b6f1a', name: 'backoffice-1', certificateNotAfter: '2031-01-01T00:00:00.000Z' },
    tenant: { id: '5f0a7c8e-3d2b-4c1a-9e8f-7a6b5c4d3e2f', code: 'op', name: 'Operator', kind: 'operator' },
  };

  it('calls the page’s own origin with window.fetch and the browser’s certificate (same-origin, no cache)', async () => {
    const fetch = vi.fn(async (_input: string, _init: RequestInit) => new Response(JSON.stringify(whoami), { status: 200, headers: { 'content-type': 'application/json' } }));
    const api = createWebApiClient({
      fetch,
      location: { origin: 'https://kasse.example.de:8443' } as Location,
      crypto: { randomUUID: () => '00000000-0000-4000-8000-000000000000' } as unknown as Crypto,
      setTimeout: ((callback: () => void) => setTimeout(callback, 0)) as unknown as Window['setTimeout'],
    });
    expect(await api.system.whoami()).toEqual({ ok: true, value: whoami });
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://kasse.example.de:8443/api/v1/whoami');
    expect(init).toMatchObject({ method: 'GET', credentials: 'same-origin', cache: 'no-store' });
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  it('reports browser network failures and time-outs as codes', async () => {
    const unreachable = createBrowserTransport(async () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(unreachable('https://x/', { method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE' });
    const slow = createBrowserTransport(async () => Promise.reject(new DOMException('timed out', 'TimeoutError')));
    await expect(slow('https://x/', { method: 'GET', headers: {} })).rejects.toMatchObject({ code: 'SERVER_TIMEOUT' });
  });
});
