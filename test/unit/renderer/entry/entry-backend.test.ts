import { describe, expect, it } from 'vitest';
import type { ApiResult } from '../../../../src/shared/api-client/errors.js';
import type { CheckInVerdict, EntryListView } from '../../../../src/shared/api/entry.js';
import { createDesktopEntryBackend, createWebEntryBackend, type EntryBridge, type GateStatus } from '../../../../src/renderer/features/entry/backend.js';
import type { GateStatusView } from '../../../../src/shared/ipc/entry.js';
import { chartGeometry } from '../../../../src/renderer/features/entry/components/ProgressChart.js';
import type { BackendRequest } from '../../../../src/renderer/lib/backend.js';

const LIST = { id: '00000000-0000-4000-8000-000000000001', eventName: 'Sommerkonzert', name: 'Haupteingang' } as EntryListView;
const CODE = '1234567890123456789012';

const verdict: CheckInVerdict = {
  checkInId: '00000000-0000-4000-8000-000000000009',
  verdict: 'voided',
  ok: false,
  message: 'Ungültig',
  voidReason: 'reprinted',
  ticket: { id: '00000000-0000-4000-8000-000000000008', categoryName: 'Stehplatz', seat: null },
  scannedAt: '2026-12-04T19:00:00.000Z',
  replayed: false,
};

/** A backend port whose answers the test scripts: a lost answer, then the server's verdict. */
function scripted(answers: Array<ApiResult<unknown>>) {
  const sent: Array<{ path: string; body: unknown }> = [];
  let n = 0;
  const request = async (spec: BackendRequest<never>) => {
    sent.push({ path: spec.path, body: spec.body });
    return answers[n++] as never;
  };
  return { backend: { request } as never, sent };
}

const lost: ApiResult<unknown> = { ok: false, error: { code: 'SERVER_UNREACHABLE', status: undefined, message: 'down' } };

describe('web entry path', () => {
  it('posts each scan with a new nonce; after a lost answer the same code goes again with the same nonce', async () => {
    const nonces = ['nonce-aaaaaaaaaaaaaaaa', 'nonce-bbbbbbbbbbbbbbbb', 'nonce-cccccccccccccccc'];
    const { backend, sent } = scripted([lost, { ok: true, value: verdict }, { ok: true, value: verdict }]);
    const entry = createWebEntryBackend({ backend, newNonce: () => nonces.shift()! });
    const statuses: GateStatus[] = [];
    entry.onStatus((s) => statuses.push(s));
    expect(await entry.scan(CODE)).toMatchObject({ ok: false, error: { code: 'ENTRY_NOT_OPEN' } });
    await entry.open(LIST, 'Nord 1');

    expect(await entry.scan(CODE)).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
    expect(statuses.at(-1)).toEqual({ mode: 'offline', listAgeMs: null, pendingUploads: 0 });
    // The guest is scanned again: the server may have admitted the first try, so the nonce is the same.
    const again = await entry.scan(CODE);
    expect(again).toEqual({
      ok: true,
      value: { verdict: 'voided', ok: false, mode: 'online', scannedAt: verdict.scannedAt, voidReason: 'reprinted', ticket: { categoryName: 'Stehplatz', seat: null } },
    });
    expect(statuses.at(-1)?.mode).toBe('online');
    await entry.scan(CODE);
    expect(sent.map((s) => s.path)).toEqual(['/api/v1/check-ins', '/api/v1/check-ins', '/api/v1/check-ins']);
    expect(sent.map((s) => (s.body as { nonce: string }).nonce)).toEqual(['nonce-aaaaaaaaaaaaaaaa', 'nonce-aaaaaaaaaaaaaaaa', 'nonce-bbbbbbbbbbbbbbbb']);
    expect(sent[0]!.body).toEqual({ entryListId: LIST.id, gate: 'Nord 1', code: CODE, nonce: 'nonce-aaaaaaaaaaaaaaaa' });
  });

  it('takes a new nonce for another code after a lost answer, and for a refusal that is not a network failure', async () => {
    const refused: ApiResult<unknown> = { ok: false, error: { code: 'FORBIDDEN', status: 403, message: 'no' } };
    const nonces = ['nonce-aaaaaaaaaaaaaaaa', 'nonce-bbbbbbbbbbbbbbbb', 'nonce-cccccccccccccccc'];
    const { backend, sent } = scripted([lost, refused, refused]);
    const entry = createWebEntryBackend({ backend, newNonce: () => nonces.shift()! });
    await entry.open(LIST, 'Nord 1');
    await entry.scan(CODE);
    await entry.scan('9999999999999999999999');
    await entry.scan('9999999999999999999999');
    expect(sent.map((s) => (s.body as { nonce: string }).nonce)).toEqual(['nonce-aaaaaaaaaaaaaaaa', 'nonce-bbbbbbbbbbbbbbbb', 'nonce-cccccccccccccccc']);
  });
});

describe('desktop entry path', () => {
  it('opens, scans and reports status and HID scans through the bridge; figures come over the API', async () => {
    const calls: string[] = [];
    const status: GateStatusView = { entryListId: LIST.id, gate: 'Nord 1', mode: 'offline', listAgeMs: 61_000, pendingUploads: 3, lastError: 'SERVER_UNREACHABLE' };
    let statusListener: ((s: GateStatusView) => void) | undefined;
    let scanListener: ((s: { code: string }) => void) | undefined;
    const bridge: EntryBridge = {
      entry: {
        lists: async () => ({ ok: true, value: [LIST] }),
        open: async (args) => {
          calls.push(`open ${args.entryListId} ${args.gate}`);
          return { ok: true, value: status };
        },
        scan: async (args) => {
          calls.push(`scan ${args.code}`);
          return { ok: true, value: { mode: 'offline', verdict: 'admitted', ok: true, scannedAt: '2026-12-04T19:00:00.000Z', listAgeMs: 61_000 } };
        },
        close: async () => {
          calls.push('close');
          return { ok: true, value: status };
        },
      },
      events: {
        entryStatus: (listener) => {
          statusListener = listener;
          return () => undefined;
        },
        scannerScan: (listener) => {
          scanListener = listener;
          return () => undefined;
        },
      },
    };
    const entry = createDesktopEntryBackend(bridge, async (id) => {
      calls.push(`stats ${id}`);
      return { ok: false, error: { code: 'SERVER_UNREACHABLE' } };
    });
    expect(entry.offlineCapable).toBe(true);
    expect(await entry.open(LIST, 'Nord 1')).toEqual({ ok: true, value: { mode: 'offline', listAgeMs: 61_000, pendingUploads: 3 } });
    // The list age belongs to the status line, not to the verdict; the verdict says it was decided offline.
    expect(await entry.scan(CODE)).toEqual({ ok: true, value: { mode: 'offline', verdict: 'admitted', ok: true, scannedAt: '2026-12-04T19:00:00.000Z' } });
    const seen: GateStatus[] = [];
    entry.onStatus((s) => seen.push(s));
    statusListener?.({ ...status, mode: 'online', pendingUploads: 0 });
    expect(seen).toEqual([{ mode: 'online', listAgeMs: 61_000, pendingUploads: 0 }]);
    const hid: string[] = [];
    entry.onHardwareScan?.((code) => hid.push(code));
    scanListener?.({ code: CODE });
    expect(hid).toEqual([CODE]);
    await entry.stats(LIST.id);
    await entry.close();
    expect(calls).toEqual([`open ${LIST.id} Nord 1`, `scan ${CODE}`, `stats ${LIST.id}`, 'close']);
  });
});

describe('entry progress chart', () => {
  it('needs two samples and scales admitted and expected into the box', () => {
    expect(chartGeometry([{ at: 0, admitted: 0, expected: 10 }], 100, 60)).toBeNull();
    const g = chartGeometry(
      [
        { at: 0, admitted: 0, expected: 10 },
        { at: 60_000, admitted: 5, expected: 10 },
      ],
      100,
      60,
    );
    // Box: left 36, right 8, top 8, bottom 20 → x 36…92, y 8 (top, 10) … 40 (bottom, 0).
    expect(g).toEqual({ admitted: '36.0,40.0 92.0,24.0', expected: '36.0,8.0 92.0,8.0', yMax: 10, fromMs: 0, toMs: 60_000 });
  });
});
