import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openScanListStore, SCAN_LIST_CHANGES_FILE, SCAN_LIST_FILE, scanListHash } from '../../../../src/main/services/entry/scan-list-store.js';
import { barcodes, snapshotOf } from '../../../support/entry-fixtures.js';
import { createFakeSecretStore } from '../fake-secret-store.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'scan-list-'));

function movableClock(start = '2026-12-04T18:00:00.000Z') {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

describe('scan list store', () => {
  it('keeps valid, voided and cancelled codes as keyed hashes only: no raw code and no plain key in the files', async () => {
    const dir = tempDir();
    const secrets = createFakeSecretStore();
    const clock = movableClock();
    const [valid, voided, cancelled] = [barcodes(2000), barcodes(50), barcodes(50)];
    const snapshot = snapshotOf({ valid, voided, cancelled });
    const store = await openScanListStore({ dir, secrets, clock });
    expect(await store.replace(snapshot)).toEqual({ ok: true });
    // An incremental change adds one more code; it must not appear raw either.
    const extra = barcodes(1)[0]!;
    expect(await store.applyChanges({ listId: snapshot.listId, fromCursor: 'c1', toCursor: 'c2', changes: [{ hash: scanListHash(snapshot.key, extra), state: 'valid' }] })).toEqual({ ok: true });
    await store.close();

    const bytes = Buffer.concat([readFileSync(path.join(dir, SCAN_LIST_FILE)), readFileSync(path.join(dir, SCAN_LIST_CHANGES_FILE))]);
    const text = bytes.toString('latin1');
    for (const code of [...valid, ...voided, ...cancelled, extra]) expect(text.includes(code)).toBe(false);
    expect(text).not.toMatch(/[0-9]{22}/);
    for (const encoding of ['base64', 'base64url', 'hex'] as const) expect(text.includes(Buffer.from(snapshot.key).toString(encoding))).toBe(false);
    expect(bytes.indexOf(Buffer.from(snapshot.key))).toBe(-1);

    const reopened = await openScanListStore({ dir, secrets, clock });
    const list = reopened.current()!;
    expect(list.size).toBe(2101);
    expect(list.stateOf(list.hashOf(valid[0]!))).toBe('valid');
    expect(list.stateOf(list.hashOf(voided[0]!))).toBe('voided');
    expect(list.stateOf(list.hashOf(cancelled[0]!))).toBe('cancelled');
    expect(list.stateOf(list.hashOf(extra))).toBe('valid');
    expect(list.stateOf(list.hashOf(barcodes(1)[0]!))).toBeUndefined();
    expect(list.cursor).toBe('c2');
  });

  it('applies incremental changes in order, refuses changes that do not continue the list, and survives a restart', async () => {
    const dir = tempDir();
    const secrets = createFakeSecretStore();
    const clock = movableClock();
    const codes = barcodes(10);
    const snapshot = snapshotOf({ valid: codes });
    const h = (c: string) => scanListHash(snapshot.key, c);
    const store = await openScanListStore({ dir, secrets, clock });
    expect(await store.applyChanges({ listId: snapshot.listId, fromCursor: 'c0', toCursor: 'c1', changes: [] })).toMatchObject({ ok: false, code: 'SCAN_LIST_MISSING' });
    await store.replace(snapshot);

    // Reprint of codes[0] (voided), cancellation of codes[1], codes[2] leaves the list.
    const step = { listId: snapshot.listId, fromCursor: 'c1', toCursor: 'c2', changes: [{ hash: h(codes[0]!), state: 'voided' as const }, { hash: h(codes[1]!), state: 'cancelled' as const }, { hash: h(codes[2]!), state: 'removed' as const }] };
    expect(await store.applyChanges(step)).toEqual({ ok: true });
    expect(await store.applyChanges(step)).toMatchObject({ ok: false, code: 'SCAN_LIST_CURSOR_MISMATCH' });
    expect(await store.applyChanges({ ...step, fromCursor: 'c2', listId: 'another-list' })).toMatchObject({ ok: false, code: 'SCAN_LIST_OTHER_LIST' });
    expect(await store.applyChanges({ ...step, fromCursor: 'c2', changes: [{ hash: codes[3]!, state: 'voided' }] })).toMatchObject({ ok: false, code: 'SCAN_LIST_INVALID' });
    const list = store.current()!;
    expect([codes[0], codes[1], codes[2], codes[3]].map((c) => list.stateOf(list.hashOf(c!)))).toEqual(['voided', 'cancelled', undefined, 'valid']);
    await store.close();

    const reopened = await openScanListStore({ dir, secrets, clock });
    const again = reopened.current()!;
    expect([codes[0], codes[1], codes[2], codes[3]].map((c) => again.stateOf(again.hashOf(c!)))).toEqual(['voided', 'cancelled', undefined, 'valid']);
    expect(again.cursor).toBe('c2');

    // A sync that moves the cursor without changes, then one with changes: both survive the next restart.
    expect(await reopened.applyChanges({ listId: snapshot.listId, fromCursor: 'c2', toCursor: 'c3', changes: [] })).toEqual({ ok: true });
    expect(await reopened.applyChanges({ listId: snapshot.listId, fromCursor: 'c3', toCursor: 'c4', changes: [{ hash: h(codes[3]!), state: 'voided' }] })).toEqual({ ok: true });
    await reopened.close();
    const third = (await openScanListStore({ dir, secrets, clock })).current()!;
    expect(third.cursor).toBe('c4');
    expect(third.stateOf(third.hashOf(codes[3]!))).toBe('voided');
  });

  it('folds many changes into a new snapshot, and ignores a change log a crash left from before the fold', async () => {
    const dir = tempDir();
    const secrets = createFakeSecretStore();
    const clock = movableClock();
    const codes = barcodes(20);
    const snapshot = snapshotOf({ valid: codes.slice(0, 10) });
    const store = await openScanListStore({ dir, secrets, clock, compactAfterChanges: 5 });
    await store.replace(snapshot);
    const changes = codes.slice(10).map((c) => ({ hash: scanListHash(snapshot.key, c), state: 'valid' as const }));
    await store.applyChanges({ listId: snapshot.listId, fromCursor: 'c1', toCursor: 'c2', changes: changes.slice(0, 3) });
    const logBeforeFold = path.join(dir, 'log-before-fold');
    copyFileSync(path.join(dir, SCAN_LIST_CHANGES_FILE), logBeforeFold);
    await store.applyChanges({ listId: snapshot.listId, fromCursor: 'c2', toCursor: 'c3', changes: changes.slice(3) });
    expect(readFileSync(path.join(dir, SCAN_LIST_CHANGES_FILE), 'utf8')).toBe('');
    await store.close();

    // A crash between writing the new snapshot and emptying the log: the old lines are of the old generation.
    copyFileSync(logBeforeFold, path.join(dir, SCAN_LIST_CHANGES_FILE));
    const list = (await openScanListStore({ dir, secrets, clock })).current()!;
    expect(list.size).toBe(20);
    expect(list.cursor).toBe('c3');
  });

  it('reports the age of the list since the last sync, an empty incremental sync included', async () => {
    const clock = movableClock();
    const store = await openScanListStore({ dir: tempDir(), secrets: createFakeSecretStore(), clock });
    expect(store.ageMs()).toBeUndefined();
    const snapshot = snapshotOf({ valid: barcodes(3) });
    await store.replace(snapshot);
    clock.advance(90_000);
    expect(store.ageMs()).toBe(90_000);
    await store.applyChanges({ listId: snapshot.listId, fromCursor: 'c1', toCursor: 'c1', changes: [] });
    expect(store.ageMs()).toBe(0);
    clock.advance(4_000);
    expect(store.ageMs()).toBe(4_000);
  });

  it('keeps no list without the OS secret store, and refuses malformed server data', async () => {
    const dir = tempDir();
    const noSecrets = await openScanListStore({ dir, secrets: createFakeSecretStore({ available: false }), clock: movableClock() });
    expect(await noSecrets.replace(snapshotOf({ valid: barcodes(1) }))).toMatchObject({ ok: false, code: 'SECURE_STORAGE_UNAVAILABLE' });
    const store = await openScanListStore({ dir: tempDir(), secrets: createFakeSecretStore(), clock: movableClock() });
    const good = snapshotOf({ valid: barcodes(2) });
    expect(await store.replace({ ...good, key: new Uint8Array(16) })).toMatchObject({ ok: false, code: 'SCAN_LIST_INVALID' });
    expect(await store.replace({ ...good, valid: ['12345678901234567890123'] })).toMatchObject({ ok: false, code: 'SCAN_LIST_INVALID' });
    // Raw barcodes where hashes belong are refused, and the code does not end up in the message either.
    const raw = barcodes(1)[0]!;
    const refused = await store.replace({ ...good, voided: [raw] });
    expect(refused).toMatchObject({ ok: false, code: 'SCAN_LIST_INVALID' });
    expect(JSON.stringify(refused)).not.toContain(raw);
    expect(store.current()).toBeUndefined();
  });

  it('refuses to start from a damaged snapshot instead of deciding with half a list', async () => {
    const dir = tempDir();
    const secrets = createFakeSecretStore();
    const store = await openScanListStore({ dir, secrets, clock: movableClock() });
    await store.replace(snapshotOf({ valid: barcodes(5) }));
    await store.close();
    const file = path.join(dir, SCAN_LIST_FILE);
    const parsed = JSON.parse(readFileSync(file, 'utf8'));
    parsed.valid[2] = 'not-a-hash';
    writeFileSync(file, JSON.stringify(parsed));
    await expect(openScanListStore({ dir, secrets, clock: movableClock() })).rejects.toThrow(/damaged/);
  });
});
