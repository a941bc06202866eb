import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOfflineEntry, type UploadBatch } from '../../../../src/main/services/entry/offline-entry.js';
import { JOURNAL_FILE, openScanJournal, type JournalScan, type ScanJournal } from '../../../../src/main/services/entry/scan-journal.js';
import { openScanListStore, type ScanListSnapshot } from '../../../../src/main/services/entry/scan-list-store.js';
import { barcodeCheckDigits } from '../../../../src/shared/barcode.js';
import { barcodes, runScanChild, snapshotOf } from '../../../support/entry-fixtures.js';
import { createFakeSecretStore } from '../fake-secret-store.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'offline-entry-'));

function movableClock(start = '2026-12-04T19:00:00.000Z') {
  let now = new Date(start).getTime();
  return { now: () => new Date(now), advance: (ms: number) => (now += ms) };
}

async function station(options: { dir?: string; snapshot?: ScanListSnapshot; gate?: string; clock?: ReturnType<typeof movableClock>; secrets?: ReturnType<typeof createFakeSecretStore> } = {}) {
  const dir = options.dir ?? tempDir();
  const clock = options.clock ?? movableClock();
  const secrets = options.secrets ?? createFakeSecretStore();
  const scanList = await openScanListStore({ dir, secrets, clock });
  if (options.snapshot !== undefined) expect(await scanList.replace(options.snapshot)).toEqual({ ok: true });
  const journal = await openScanJournal({ dir });
  const entry = createOfflineEntry({ scanList, journal, clock, gate: options.gate ?? 'Nord' });
  const close = async () => {
    await journal.close();
    await scanList.close();
  };
  return { dir, clock, secrets, scanList, journal, entry, close };
}

const verdictOf = async (s: Awaited<ReturnType<typeof station>>, code: string, direction: 'in' | 'out' = 'in') => {
  const result = await s.entry.scan(code, direction);
  if (!result.ok) throw new Error(result.error.code);
  return result.value;
};

describe('offline verdicts', () => {
  it('decides every reason the scan list can give, check digits before any lookup', async () => {
    const [valid, voided, cancelled] = [barcodes(3), barcodes(1), barcodes(1)];
    const s = await station({ snapshot: snapshotOf({ valid, voided, cancelled }) });
    // One digit changed: MOD 97-10 catches every single-digit change.
    const code = valid[0]!;
    const wrongCheck = `${code.slice(0, 5)}${(Number(code[5]) + 1) % 10}${code.slice(6)}`;
    expect((await verdictOf(s, wrongCheck)).verdict).toBe('malformed');
    expect((await verdictOf(s, 'ABC')).verdict).toBe('malformed');
    const payload = '12345678901234567890';
    expect((await verdictOf(s, payload + barcodeCheckDigits(payload))).verdict).toBe('unknown');
    expect((await verdictOf(s, voided[0]!)).verdict).toBe('voided');
    expect((await verdictOf(s, cancelled[0]!)).verdict).toBe('cancelled');
    expect(await verdictOf(s, valid[0]!)).toMatchObject({ verdict: 'admitted', ok: true });
    s.clock.advance(60_000);
    expect(await verdictOf(s, valid[0]!)).toMatchObject({ verdict: 'already_admitted', ok: false, admittedAt: '2026-12-04T19:00:00.000Z', admittedGate: 'Nord' });
    // Malformed scans are journalled (the server records every check-in) but never hashed.
    expect(s.journal.scans().filter((j) => j.verdict === 'malformed').map((j) => j.hash)).toEqual([null, null]);
  });

  it('honours the entry list’s time window', async () => {
    const valid = barcodes(1);
    const early = await station({ snapshot: snapshotOf({ valid }, { validFrom: '2026-12-04T19:30:00.000Z' }) });
    expect((await verdictOf(early, valid[0]!)).verdict).toBe('not_yet_valid');
    const late = await station({ snapshot: snapshotOf({ valid }, { validUntil: '2026-12-04T18:00:00.000Z' }) });
    expect((await verdictOf(late, valid[0]!)).verdict).toBe('no_longer_valid');
  });

  it('exit and re-entry: checked out, then admitted again — only when the list allows re-entry', async () => {
    const [code] = barcodes(1);
    const withReentry = await station({ snapshot: snapshotOf({ valid: [code!] }, { allowReentry: true }) });
    expect((await verdictOf(withReentry, code!, 'out')).verdict).toBe('not_inside');
    expect((await verdictOf(withReentry, code!)).verdict).toBe('admitted');
    withReentry.clock.advance(1000);
    expect((await verdictOf(withReentry, code!, 'out')).verdict).toBe('checked_out');
    withReentry.clock.advance(1000);
    expect((await verdictOf(withReentry, code!)).verdict).toBe('admitted');
    withReentry.clock.advance(1000);
    // Inside again: the last admission is what the gate is told.
    expect(await verdictOf(withReentry, code!)).toMatchObject({ verdict: 'already_admitted', admittedAt: '2026-12-04T19:00:02.000Z' });

    const noReentry = await station({ snapshot: snapshotOf({ valid: [code!] }) });
    await verdictOf(noReentry, code!);
    noReentry.clock.advance(5000);
    expect((await verdictOf(noReentry, code!, 'out')).verdict).toBe('checked_out');
    expect(await verdictOf(noReentry, code!)).toMatchObject({ verdict: 'already_admitted', admittedAt: '2026-12-04T19:00:00.000Z' });
  });

  it('a code voided by reprint is refused after the next sync', async () => {
    const [code] = barcodes(1);
    const snapshot = snapshotOf({ valid: [code!] });
    const s = await station({ snapshot });
    const hash = s.scanList.current()!.hashOf(code!);
    expect(await s.scanList.applyChanges({ listId: snapshot.listId, fromCursor: 'c1', toCursor: 'c2', changes: [{ hash, state: 'voided' }] })).toEqual({ ok: true });
    expect((await verdictOf(s, code!)).verdict).toBe('voided');
  });

  it('answers no verdict without a scan list, and none when the journal cannot keep the scan', async () => {
    const s = await station();
    expect(await s.entry.scan(barcodes(1)[0]!)).toMatchObject({ ok: false, error: { code: 'SCAN_LIST_MISSING' } });
    const withList = await station({ snapshot: snapshotOf({ valid: barcodes(1) }) });
    const broken: ScanJournal = { ...withList.journal, append: async () => Promise.reject(new Error('EIO: i/o error, fsync')) };
    const entry = createOfflineEntry({ scanList: withList.scanList, journal: broken, clock: withList.clock, gate: 'Nord' });
    expect(await entry.scan(barcodes(1)[0]!)).toMatchObject({ ok: false, error: { code: 'JOURNAL_FAILED', message: expect.stringContaining('fsync') } });
  });

  it('decides against a 100,000-ticket list read back from disk', async () => {
    const codes = barcodes(100_000);
    const snapshot = snapshotOf({ valid: codes.slice(0, 99_000), voided: codes.slice(99_000, 99_500), cancelled: codes.slice(99_500) });
    const first = await station({ snapshot });
    await first.close();
    const s = await station({ dir: first.dir, secrets: first.secrets });
    expect(s.scanList.current()!.size).toBe(100_000);
    const sample = [0, 1, 5000, 50_000, 98_999].map((i) => codes[i]!);
    for (const code of sample) expect((await verdictOf(s, code)).verdict).toBe('admitted');
    for (const code of sample) expect((await verdictOf(s, code)).verdict).toBe('already_admitted');
    expect((await verdictOf(s, codes[99_100]!)).verdict).toBe('voided');
    expect((await verdictOf(s, codes[99_900]!)).verdict).toBe('cancelled');
    for (const code of barcodes(20)) expect((await verdictOf(s, code)).verdict).toBe('unknown');
  });
});

describe('offline journal', () => {
  it('every verdict is journalled in order with nonce, hash and raw code; own admissions survive a restart', async () => {
    const codes = barcodes(3);
    const s = await station({ snapshot: snapshotOf({ valid: codes }) });
    const v1 = await verdictOf(s, codes[0]!);
    await verdictOf(s, codes[1]!);
    await s.close();

    const again = await station({ dir: s.dir, secrets: s.secrets, clock: s.clock });
    expect(again.journal.recovery).toEqual({ scans: 2, tornBytes: 0 });
    expect(again.journal.scans().map((j) => [j.seq, j.code, j.verdict, j.direction, j.gate, j.uploaded])).toEqual([
      [1, codes[0], 'admitted', 'in', 'Nord', false],
      [2, codes[1], 'admitted', 'in', 'Nord', false],
    ]);
    expect(again.journal.scans()[0]!.nonce).toBe(v1.nonce);
    expect(v1.nonce).toMatch(/^[A-Za-z0-9_-]{16,100}$/);
    expect((await verdictOf(again, codes[0]!)).verdict).toBe('already_admitted');
    expect((await verdictOf(again, codes[2]!)).verdict).toBe('admitted');
  });

  it('cuts off a torn last line after a power loss and carries on', async () => {
    const codes = barcodes(2);
    const s = await station({ snapshot: snapshotOf({ valid: codes }) });
    await verdictOf(s, codes[0]!);
    await s.close();
    appendFileSync(path.join(s.dir, JOURNAL_FILE), '{"t":"scan","seq":2,"nonce":"abcdefghijklmnopqr","li');
    const again = await station({ dir: s.dir, secrets: s.secrets });
    expect(again.journal.recovery.tornBytes).toBeGreaterThan(0);
    expect((await verdictOf(again, codes[1]!)).seq).toBe(2);
    await again.close();
    const reread = await openScanJournal({ dir: s.dir });
    expect(reread.scans().map((j) => j.code)).toEqual(codes);
  });

  it('uploads in order in batches; after the acknowledgement the raw codes are gone from the file, the history stays', async () => {
    const codes = barcodes(25);
    const s = await station({ snapshot: snapshotOf({ valid: codes }) });
    for (const code of codes) await verdictOf(s, code);
    const batches: JournalScan[][] = [];
    let failAfter = 2;
    const upload: UploadBatch = async (_listId, batch) => {
      if (failAfter === 0) return { ok: false, code: 'NETWORK_UNREACHABLE' };
      failAfter -= 1;
      batches.push([...batch]);
      return { ok: true };
    };
    expect(await s.entry.uploadPending(upload, 10)).toEqual({ uploaded: 20, pending: 5, error: 'NETWORK_UNREACHABLE' });
    failAfter = 10;
    expect(await s.entry.uploadPending(upload, 10)).toEqual({ uploaded: 5, pending: 0 });
    expect(batches.map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batches.flat().map((j) => j.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(batches.flat().map((j) => j.code)).toEqual(codes);

    const text = readFileSync(path.join(s.dir, JOURNAL_FILE), 'utf8');
    for (const code of codes) expect(text.includes(code)).toBe(false);
    expect(text.trim().split('\n')).toHaveLength(25);
    await s.close();
    const again = await station({ dir: s.dir, secrets: s.secrets });
    expect(again.journal.pendingUpload(100)).toEqual([]);
    expect((await verdictOf(again, codes[7]!)).verdict).toBe('already_admitted');
    expect(again.journal.pendingUpload(100).map((j) => [j.seq, j.code])).toEqual([[26, codes[7]]]);
  });

  it('finishes a compaction that a crash interrupted after the acknowledgement', async () => {
    const codes = barcodes(3);
    const s = await station({ snapshot: snapshotOf({ valid: codes }) });
    for (const code of codes) await verdictOf(s, code);
    await s.close();
    appendFileSync(path.join(s.dir, JOURNAL_FILE), '{"t":"ack","upTo":2}\n');
    const journal = await openScanJournal({ dir: s.dir });
    expect(journal.pendingUpload(10).map((j) => j.seq)).toEqual([3]);
    const text = readFileSync(path.join(s.dir, JOURNAL_FILE), 'utf8');
    expect([codes[0], codes[1], codes[2]].map((c) => text.includes(c!))).toEqual([false, false, true]);
  });

  it('refuses a journal damaged in the middle instead of losing scans', async () => {
    const codes = barcodes(3);
    const s = await station({ snapshot: snapshotOf({ valid: codes }) });
    for (const code of codes) await verdictOf(s, code);
    await s.close();
    const file = path.join(s.dir, JOURNAL_FILE);
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = lines[1]!.slice(0, 30);
    writeFileSync(file, lines.join('\n'));
    await expect(openScanJournal({ dir: s.dir })).rejects.toThrow(/line 2/);
  });

  it('SIGKILL in the middle of scanning: after the restart every scan whose verdict was shown is in the journal exactly once', async () => {
    const dir = tempDir();
    const secretKey = randomBytes(32);
    const secrets = createFakeSecretStore({ key: secretKey });
    const codes = barcodes(600);
    const voided = codes.slice(500, 550);
    const snapshot = snapshotOf({ valid: codes.slice(0, 500), voided });
    const setup = await station({ dir, secrets, snapshot });
    await setup.close();
    // 1,000 scans: every valid code, some twice, the voided ones, and a few misreads.
    const scans = [...codes.slice(0, 500), ...codes.slice(0, 300), ...voided, ...codes.slice(550), ...barcodes(100).map((c) => c.slice(0, 21) + (c[21] === '0' ? '1' : '0'))];
    for (let i = scans.length - 1; i > 0; i -= 1) {
      const j = Math.floor(Math.random() * (i + 1));
      [scans[i], scans[j]] = [scans[j]!, scans[i]!];
    }
    writeFileSync(path.join(dir, 'codes.json'), JSON.stringify(scans));

    const killAt = 300 + Math.floor(Math.random() * 400);
    const first = await runScanChild(dir, secretKey, { killAfter: killAt });
    expect(first.signal).toBe('SIGKILL');
    expect(first.shown.length).toBeGreaterThanOrEqual(killAt);
    expect(first.shown.length).toBeLessThan(scans.length);

    // Restart: what the journal holds.
    const journal = await openScanJournal({ dir });
    const byNonce = new Map(journal.scans().map((j) => [j.nonce, j]));
    expect(byNonce.size).toBe(journal.scans().length);
    for (const { nonce, seq, verdict, code } of first.shown) {
      const kept = byNonce.get(nonce);
      expect(kept, `shown scan ${seq} missing`).toBeDefined();
      expect([kept!.seq, kept!.verdict, kept!.code]).toEqual([seq, verdict, code]);
    }
    // At most the one scan whose fsync finished but whose verdict was not printed any more.
    expect(journal.scans().length - first.shown.length).toBeGreaterThanOrEqual(0);
    expect(journal.scans().length - first.shown.length).toBeLessThanOrEqual(1);
    await journal.close();

    // The restarted station goes on where it stopped and knows whom it let in.
    writeFileSync(path.join(dir, 'codes.json'), JSON.stringify(scans.slice(0, 50)));
    const second = await runScanChild(dir, secretKey);
    const done = await openScanJournal({ dir });
    const all = done.scans();
    expect(all.map((j) => j.seq)).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(new Set(all.map((j) => j.nonce)).size).toBe(all.length);
    const admittedTwice = new Map<string, number>();
    for (const j of all) if (j.verdict === 'admitted') admittedTwice.set(j.code!, (admittedTwice.get(j.code!) ?? 0) + 1);
    expect([...admittedTwice.values()].every((n) => n === 1)).toBe(true);
    // The rescanned codes that were admitted before the kill are refused now.
    const admittedBefore = new Set(first.shown.filter((p) => p.verdict === 'admitted').map((p) => p.code));
    for (const { verdict, code } of second.shown) if (admittedBefore.has(code)) expect(verdict).toBe('already_admitted');
  }, 60_000);
});

describe('online check-ins at this gate', () => {
  it('are remembered by hash only, so the gate refuses the same ticket once it is offline, also after a restart', async () => {
    const codes = barcodes(3);
    const s = await station({ snapshot: snapshotOf({ valid: codes }) });
    const online = (code: string, verdict: 'admitted' | 'already_admitted' | 'checked_out', direction: 'in' | 'out' = 'in') =>
      s.entry.recordOnline({ code, nonce: randomBytes(16).toString('base64url'), direction, verdict, scannedAt: s.clock.now().toISOString() });
    expect(await online(codes[0]!, 'admitted')).toEqual({ ok: true });
    // A retried record with the same nonce is taken as done and does not upset the journal.
    const retried = { code: codes[0]!, nonce: 'retried-nonce-0000000', direction: 'in' as const, verdict: 'admitted' as const, scannedAt: s.clock.now().toISOString() };
    expect(await s.entry.recordOnline(retried)).toEqual({ ok: true });
    expect(await s.entry.recordOnline(retried)).toEqual({ ok: true });
    expect(await online(codes[1]!, 'admitted')).toEqual({ ok: true });
    s.clock.advance(1000);
    expect(await online(codes[1]!, 'checked_out', 'out')).toEqual({ ok: true });
    // Refusals change nothing and are not kept.
    expect(await online(codes[2]!, 'already_admitted')).toEqual({ ok: true });
    expect(s.journal.scans()).toHaveLength(4);
    expect(s.journal.pendingUpload(10)).toEqual([]);
    const text = readFileSync(path.join(s.dir, JOURNAL_FILE), 'utf8');
    for (const code of codes) expect(text.includes(code)).toBe(false);
    await s.close();

    const again = await station({ dir: s.dir, secrets: s.secrets, clock: s.clock });
    expect(await verdictOf(again, codes[0]!)).toMatchObject({ verdict: 'already_admitted', admittedGate: 'Nord' });
    expect((await verdictOf(again, codes[1]!, 'out')).verdict).toBe('not_inside');
    expect((await verdictOf(again, codes[2]!)).verdict).toBe('admitted');
  });
});

describe('journal write failures', () => {
  it('after a failed write the journal refuses every later scan instead of showing verdicts it does not keep', async () => {
    const codes = barcodes(3);
    const s = await station({ snapshot: snapshotOf({ valid: codes }) });
    await verdictOf(s, codes[0]!);
    // The compaction after the upload cannot create its temporary file: a directory is in the way.
    const blocker = path.join(s.dir, `${JOURNAL_FILE}.${process.pid}.tmp`);
    mkdirSync(blocker);
    expect(await s.entry.uploadPending(async () => ({ ok: true }))).toEqual({ uploaded: 0, pending: 0, error: 'JOURNAL_FAILED' });
    expect(await s.entry.scan(codes[1]!)).toMatchObject({ ok: false, error: { code: 'JOURNAL_FAILED' } });
    expect(await s.entry.scan(codes[2]!)).toMatchObject({ ok: false, error: { code: 'JOURNAL_FAILED' } });
    await s.close();

    // After a restart (the obstacle gone) the acknowledgement that did reach the disk is honoured and the
    // interrupted compaction finished: the uploaded scan is kept without its code, nothing else was written.
    rmSync(blocker, { recursive: true });
    const reread = await openScanJournal({ dir: s.dir });
    expect(reread.scans().map((j) => [j.seq, j.uploaded, j.code])).toEqual([[1, true, undefined]]);
    expect(readFileSync(path.join(s.dir, JOURNAL_FILE), 'utf8').includes(codes[0]!)).toBe(false);
  });
});
