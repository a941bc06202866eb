import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { changesFromApi, createHttpEntrySyncBackend, snapshotFromApi, syncScanList, uploadThrough } from '../../../../src/main/services/entry/entry-sync-http.js';
import { createOfflineEntry } from '../../../../src/main/services/entry/offline-entry.js';
import { JOURNAL_FILE, openScanJournal } from '../../../../src/main/services/entry/scan-journal.js';
import { openScanListStore, scanListHash } from '../../../../src/main/services/entry/scan-list-store.js';
import { createApiClient } from '../../../../src/shared/api-client/api-client.js';
import { createMemorySessionStore } from '../../../../src/shared/api-client/session-store.js';
import type { EntryListView } from '../../../../src/shared/api/entry.js';
import { barcodes } from '../../../support/entry-fixtures.js';
import { createFakeSecretStore } from '../fake-secret-store.js';

const LIST = '6f1c2d1e-4a51-4a5e-9d38-5b3f0e2a7c11';
const OTHER_LIST = '7a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
const view = (overrides: Partial<EntryListView> = {}): EntryListView => ({
  id: LIST,
  eventId: '11111111-1111-4111-8111-111111111111',
  eventName: 'Konzert',
  name: 'Alle Tickets',
  categoryIds: null,
  allowReentry: false,
  validFrom: null,
  validUntil: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  ...overrides,
});

/**
 * The server's two entry routes in memory, with its hash (first 16 bytes of HMAC-SHA256, base64url):
 * a full list, or the codes changed since a time.
 */
function fakeServer() {
  const key = randomBytes(32);
  const codes = new Map<string, { valid: boolean; changedAt: number }>();
  let now = Date.parse('2026-12-04T18:00:00.000Z');
  const requests: Array<{ method: string; path: string; query: URLSearchParams; body: any }> = [];
  const uploaded: any[] = [];
  let dropNonce: string | undefined;
  let down = false;
  const api = createApiClient({
    baseUrl: 'https://kasse.example.de:8443',
    session: (() => {
      const s = createMemorySessionStore();
      s.set('token-1');
      return s;
    })(),
    newIdempotencyKey: () => 'key-1',
    sleep: async () => undefined,
    retry: { attempts: 1 },
    fetch: async (url, init) => {
      const u = new URL(url);
      const body = init.body === undefined ? undefined : JSON.parse(init.body);
      requests.push({ method: init.method, path: u.pathname, query: u.searchParams, body });
      const reply = (status: number, payload: unknown) => {
        const text = JSON.stringify(payload);
        return { status, headers: { get: (name: string) => (name === 'content-type' ? (status >= 400 ? 'application/problem+json' : 'application/json') : null) }, text: async () => text };
      };
      if (down) return reply(503, { type: 'about:blank', title: 'x', status: 503, code: 'SERVICE_UNAVAILABLE' });
      const listId = u.pathname.split('/')[4]!;
      if (u.pathname.endsWith('/scan-list')) {
        const since = u.searchParams.get('since');
        const from = since === null ? undefined : Date.parse(since) - 120_000;
        const rows = [...codes.entries()].filter(([, c]) => from === undefined || c.changedAt > from);
        const hash = (code: string) => scanListHash(key, code);
        return reply(200, {
          entryListId: listId,
          key: key.toString('base64'),
          full: since === null,
          cursor: new Date(now).toISOString(),
          generatedAt: new Date(now).toISOString(),
          valid: rows.filter(([, c]) => c.valid).map(([code]) => hash(code)),
          cancelled: [],
          invalid: rows.filter(([, c]) => !c.valid).map(([code]) => hash(code)),
        });
      }
      uploaded.push(...body.scans);
      const results = body.scans
        .filter((s: any) => s.nonce !== dropNonce)
        .map((s: any) => ({ nonce: s.nonce, checkInId: '22222222-2222-4222-8222-222222222222', verdict: s.shownVerdict, replayed: false, conflict: false }));
      return reply(200, { received: body.scans.length, recorded: results.length, replayed: 0, conflicts: 0, results });
    },
  });
  return {
    backend: createHttpEntrySyncBackend(api.http),
    requests,
    uploaded,
    set: (code: string, valid: boolean) => codes.set(code, { valid, changedAt: now }),
    advance: (ms: number) => (now += ms),
    dropNonce: (nonce: string | undefined) => (dropNonce = nonce),
    setDown: (value: boolean) => (down = value),
  };
}

async function station() {
  const dir = mkdtempSync(path.join(tmpdir(), 'entry-sync-'));
  const clock = { now: () => new Date('2026-12-04T19:00:00.000Z') };
  const store = await openScanListStore({ dir, secrets: createFakeSecretStore(), clock });
  const journal = await openScanJournal({ dir });
  const entry = createOfflineEntry({ scanList: store, journal, clock, gate: 'Süd' });
  return { dir, store, journal, entry };
}

describe('scan list sync over HTTPS', () => {
  it('downloads in full, then only what changed since its cursor; a reprint refuses the old code offline', async () => {
    const server = fakeServer();
    const [a, b, cancelled, reprinted] = barcodes(4);
    server.set(a!, true);
    server.set(b!, true);
    server.set(cancelled!, false);
    server.advance(600_000);
    const s = await station();
    expect(await syncScanList(s.store, server.backend, view())).toEqual({ ok: true, full: true, entries: 3 });
    expect(server.requests[0]!.path).toBe(`/api/v1/entry-lists/${LIST}/scan-list`);
    expect(server.requests[0]!.query.has('since')).toBe(false);
    const firstCursor = s.store.current()!.cursor;

    // b is reprinted: the old code dies, a new one is valid.
    server.advance(600_000);
    server.set(b!, false);
    server.set(reprinted!, true);
    expect(await syncScanList(s.store, server.backend, view())).toEqual({ ok: true, full: false, entries: 2 });
    expect(server.requests[1]!.query.get('since')).toBe(firstCursor);
    const verdicts = [];
    for (const code of [a!, b!, reprinted!, cancelled!]) {
      const r = await s.entry.scan(code);
      verdicts.push(r.ok ? r.value.verdict : r.error.code);
    }
    expect(verdicts).toEqual(['admitted', 'voided', 'admitted', 'voided']);
  });

  it('downloads in full again when the entry list’s settings changed, and keeps the list when the server is down', async () => {
    const server = fakeServer();
    const [code] = barcodes(1);
    server.set(code!, true);
    const s = await station();
    await syncScanList(s.store, server.backend, view());
    expect((await syncScanList(s.store, server.backend, view({ allowReentry: true }))).ok).toBe(true);
    expect(server.requests[1]!.query.has('since')).toBe(false);
    expect(s.store.current()!.allowReentry).toBe(true);

    server.setDown(true);
    expect(await syncScanList(s.store, server.backend, view({ allowReentry: true }))).toMatchObject({ ok: false, code: 'SERVICE_UNAVAILABLE' });
    expect(s.store.current()!.size).toBe(1);
  });
});

describe('scan list entries from the server', () => {
  it('keeps valid, voided and cancelled apart, in full lists and in changes', () => {
    const list = { entryListId: '11111111-1111-4111-8111-111111111111', key: Buffer.alloc(32, 1).toString('base64'), full: true, cursor: '2026-12-04T10:00:00.000Z', generatedAt: '2026-12-04T10:00:00.000Z', valid: ['v'], cancelled: ['c'], invalid: ['i'] };
    const view = { id: list.entryListId, allowReentry: false, validFrom: null, validUntil: null } as unknown as EntryListView;
    expect(snapshotFromApi(list, view)).toMatchObject({ valid: ['v'], voided: ['i'], cancelled: ['c'] });
    expect(changesFromApi(list, '2026-12-04T09:00:00.000Z').changes).toEqual([
      { hash: 'v', state: 'valid' },
      { hash: 'i', state: 'voided' },
      { hash: 'c', state: 'cancelled' },
    ]);
  });
});

describe('offline scan upload over HTTPS', () => {
  it('sends the journal in order, one entry list per request, with what staff saw; then drops the raw codes', async () => {
    const server = fakeServer();
    const codes = barcodes(4);
    for (const c of codes) server.set(c, true);
    const s = await station();
    await syncScanList(s.store, server.backend, view());
    await s.entry.scan(codes[0]!);
    await s.entry.scan(codes[0]!);
    // The station is moved to another entry list, then scans on.
    await syncScanList(s.store, server.backend, view({ id: OTHER_LIST }));
    await s.entry.scan(codes[1]!, 'out');

    expect(await s.entry.uploadPending(uploadThrough(server.backend))).toEqual({ uploaded: 3, pending: 0 });
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts.map((p) => [p.path, p.body.scans.length])).toEqual([
      [`/api/v1/entry-lists/${LIST}/offline-scans`, 2],
      [`/api/v1/entry-lists/${OTHER_LIST}/offline-scans`, 1],
    ]);
    expect(server.uploaded.map((u) => [u.code, u.shownVerdict, u.direction, u.gate])).toEqual([
      [codes[0], 'admitted', 'in', 'Süd'],
      [codes[0], 'already_admitted', 'in', 'Süd'],
      [codes[1], 'not_inside', 'out', 'Süd'],
    ]);
    expect(server.uploaded[0]).toEqual({ nonce: expect.stringMatching(/^[A-Za-z0-9_-]{16,100}$/), code: codes[0], gate: 'Süd', direction: 'in', scannedAt: '2026-12-04T19:00:00.000Z', shownVerdict: 'admitted' });
    const text = readFileSync(path.join(s.dir, JOURNAL_FILE), 'utf8');
    for (const c of codes) expect(text.includes(c)).toBe(false);
  });

  it('acknowledges nothing when the server does not answer for every scan of a batch', async () => {
    const server = fakeServer();
    const codes = barcodes(2);
    for (const c of codes) server.set(c, true);
    const s = await station();
    await syncScanList(s.store, server.backend, view());
    const first = await s.entry.scan(codes[0]!);
    await s.entry.scan(codes[1]!);
    server.dropNonce(first.ok ? first.value.nonce : undefined);
    expect(await s.entry.uploadPending(uploadThrough(server.backend))).toEqual({ uploaded: 0, pending: 2, error: 'UPLOAD_INCOMPLETE' });
    server.dropNonce(undefined);
    // The retry sends the same nonces: the server takes the repeats as replays.
    expect(await s.entry.uploadPending(uploadThrough(server.backend))).toEqual({ uploaded: 2, pending: 0 });
    expect(server.uploaded.map((u) => u.nonce).slice(0, 2)).toEqual(server.uploaded.map((u) => u.nonce).slice(2));
  });
});
