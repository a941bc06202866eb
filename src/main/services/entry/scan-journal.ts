/**
 * The durable journal of offline scans, `entry-journal.jsonl` in the station's data directory. Every
 * offline scan is one JSON line, appended and fsynced before its verdict is shown, so a crash or power
 * loss loses no scan that anyone saw a verdict for. On start the journal is read back; a torn last line
 * (the write a crash cut off, whose verdict was therefore never shown) is cut away.
 *
 * What it holds: per scan the nonce (the idempotency key of the upload), the entry list, gate,
 * direction, scan time, verdict, the keyed hash of the code AND the raw code. The raw code is needed
 * because the server checks the code itself on upload (it may know of reprints and cancellations the
 * station does not). So the journal does hold raw codes — only of tickets actually presented at this
 * gate, which is unavoidable — and only until the server has acknowledged them: acknowledging appends an
 * "ack" line and then compacts the file (rewritten to a temporary file, fsynced, renamed over the old
 * one), keeping uploaded scans without their code, as the station's own check-in history.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Verdict } from '../../../shared/api/entry.js';
import { CorruptFileError, openAppendFile, readJsonLines, replaceFileAtomically, type AppendFile } from './durable-file.js';

export const JOURNAL_FILE = 'entry-journal.jsonl';

export type Direction = 'in' | 'out';

/** One offline scan. `code` is present until the server acknowledged the scan. */
export interface JournalScan {
  readonly seq: number;
  readonly nonce: string;
  readonly listId: string;
  readonly gate: string;
  readonly direction: Direction;
  /** ISO time of the scan (the station's clock). */
  readonly scannedAt: string;
  readonly verdict: Verdict;
  /** Keyed hash of the code; null for malformed codes, which are never looked up. */
  readonly hash: string | null;
  readonly code?: string;
  readonly uploaded: boolean;
}

export type NewJournalScan = Omit<JournalScan, 'seq' | 'uploaded' | 'code'> & { readonly code: string };

type Line =
  | { t: 'scan'; seq: number; nonce: string; list: string; gate: string; dir: Direction; at: string; verdict: Verdict; hash: string | null; code: string }
  | { t: 'done'; seq: number; nonce: string; list: string; gate: string; dir: Direction; at: string; verdict: Verdict; hash: string | null }
  | { t: 'ack'; upTo: number };

export interface JournalRecovery {
  /** Scans read back (uploaded or not). */
  readonly scans: number;
  /** Bytes of a torn last write that were cut away. */
  readonly tornBytes: number;
}

export interface ScanJournal {
  readonly recovery: JournalRecovery;
  /** Every scan in order of seq. */
  scans(): readonly JournalScan[];
  /** Appends a scan; resolves once it is on disk. After a failed write the journal refuses all further work. */
  append(scan: NewJournalScan): Promise<JournalScan>;
  /**
   * Appends a scan the server has already decided (an online check-in at this gate), without its code and
   * marked uploaded: only so that offline verdicts later know whom this gate let in.
   */
  appendDecided(scan: Omit<NewJournalScan, 'code'>): Promise<JournalScan>;
  /** The oldest scans not yet acknowledged by the server, in order: the next upload batch. */
  pendingUpload(limit: number): readonly JournalScan[];
  /** The server has every scan up to `seq`: recorded durably, then the raw codes are compacted away. */
  acknowledge(upToSeq: number): Promise<void>;
  close(): Promise<void>;
}

export class JournalFailedError extends Error {
  readonly code = 'JOURNAL_FAILED';
  constructor(cause: unknown) {
    super(`the entry journal cannot be written: ${(cause as Error).message ?? String(cause)}`);
    this.name = 'JournalFailedError';
  }
}

/** A nonce that is in the journal already: nothing was written, and the journal carries on. */
export class DuplicateNonceError extends Error {
  constructor(readonly nonce: string) {
    super(`nonce ${nonce} is already in the journal`);
    this.name = 'DuplicateNonceError';
  }
}

const DIRECTIONS: readonly string[] = ['in', 'out'];

function parseLine(file: string, index: number, value: unknown): Line {
  const v = value as Record<string, unknown>;
  const bad = (what: string): never => {
    throw new CorruptFileError(file, index + 1, what);
  };
  if (typeof v !== 'object' || v === null) return bad('not an object');
  if (v['t'] === 'ack') return Number.isInteger(v['upTo']) ? (v as Line) : bad('ack without upTo');
  if (v['t'] !== 'scan' && v['t'] !== 'done') return bad(`unknown record type ${String(v['t'])}`);
  if (!Number.isInteger(v['seq']) || typeof v['nonce'] !== 'string' || typeof v['list'] !== 'string' || typeof v['gate'] !== 'string') return bad('scan without seq, nonce, list or gate');
  if (!DIRECTIONS.includes(v['dir'] as string) || typeof v['at'] !== 'string' || typeof v['verdict'] !== 'string') return bad('scan without direction, time or verdict');
  if (!(v['hash'] === null || typeof v['hash'] === 'string')) return bad('scan with a bad hash');
  if (v['t'] === 'scan' && typeof v['code'] !== 'string') return bad('scan without its code');
  return v as Line;
}

const toScan = (line: Extract<Line, { seq: number }>, uploaded: boolean): JournalScan => ({
  seq: line.seq,
  nonce: line.nonce,
  listId: line.list,
  gate: line.gate,
  direction: line.dir,
  scannedAt: line.at,
  verdict: line.verdict,
  hash: line.hash,
  ...(line.t === 'scan' && !uploaded ? { code: line.code } : {}),
  uploaded,
});

const doneLine = (s: JournalScan): Line => ({ t: 'done', seq: s.seq, nonce: s.nonce, list: s.listId, gate: s.gate, dir: s.direction, at: s.scannedAt, verdict: s.verdict, hash: s.hash });

export async function openScanJournal(deps: { readonly dir: string }): Promise<ScanJournal> {
  await mkdir(deps.dir, { recursive: true, mode: 0o700 });
  const file = path.join(deps.dir, JOURNAL_FILE);
  const content = await readJsonLines(file);

  let acked = 0;
  let lastSeq = 0;
  const lines = content.values.map((v, i) => parseLine(file, i, v));
  const scanLines: Array<Extract<Line, { seq: number }>> = [];
  for (const [i, line] of lines.entries()) {
    if (line.t === 'ack') {
      acked = Math.max(acked, line.upTo);
      continue;
    }
    if (line.seq <= lastSeq) throw new CorruptFileError(file, i + 1, `seq ${line.seq} after ${lastSeq}`);
    lastSeq = line.seq;
    scanLines.push(line);
  }
  const scans: JournalScan[] = scanLines.map((l) => toScan(l, l.t === 'done' || l.seq <= acked));
  const nonces = new Set(scans.map((s) => s.nonce));
  let appendFile: AppendFile = await openAppendFile(file, content.goodBytes);
  let failed: JournalFailedError | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const serial = <T>(work: () => Promise<T>, nonce?: string): Promise<T> => {
    const next = queue.then(async () => {
      if (failed !== undefined) throw failed;
      // Refused before any I/O: the file is as it was.
      if (nonce !== undefined && nonces.has(nonce)) throw new DuplicateNonceError(nonce);
      try {
        return await work();
      } catch (error) {
        // After a failed write or fsync the file's state is unknown (and an fsync cannot be retried
        // reliably): refuse everything until the station restarts and reads the journal back.
        failed = error instanceof JournalFailedError ? error : new JournalFailedError(error);
        throw failed;
      }
    });
    queue = next.catch(() => undefined);
    return next;
  };

  /** Rewrites the journal: uploaded scans without their code, the rest as they are. */
  async function compact(): Promise<void> {
    const text = scans.map((s) => JSON.stringify(s.uploaded ? doneLine(s) : { t: 'scan', seq: s.seq, nonce: s.nonce, list: s.listId, gate: s.gate, dir: s.direction, at: s.scannedAt, verdict: s.verdict, hash: s.hash, code: s.code })).join('\n');
    await appendFile.close();
    await replaceFileAtomically(file, text.length === 0 ? '' : `${text}\n`);
    appendFile = await openAppendFile(file, Buffer.byteLength(text.length === 0 ? '' : `${text}\n`));
  }

  async function appendLine(line: Extract<Line, { seq: number }>): Promise<JournalScan> {
    await appendFile.append([line]);
    lastSeq = line.seq;
    nonces.add(line.nonce);
    const stored = toScan(line, line.t === 'done');
    scans.push(stored);
    return stored;
  }

  // A crash after an ack line but before its compaction: finish the compaction now.
  if (scanLines.some((l) => l.t === 'scan' && l.seq <= acked)) await compact();

  return {
    recovery: { scans: scans.length, tornBytes: content.tornBytes },
    scans: () => scans,
    append: (scan) =>
      serial(
        async () => appendLine({ t: 'scan', seq: lastSeq + 1, nonce: scan.nonce, list: scan.listId, gate: scan.gate, dir: scan.direction, at: scan.scannedAt, verdict: scan.verdict, hash: scan.hash, code: scan.code }),
        scan.nonce,
      ),
    appendDecided: (scan) =>
      serial(
        async () => appendLine({ t: 'done', seq: lastSeq + 1, nonce: scan.nonce, list: scan.listId, gate: scan.gate, dir: scan.direction, at: scan.scannedAt, verdict: scan.verdict, hash: scan.hash }),
        scan.nonce,
      ),
    pendingUpload: (limit) => {
      const out: JournalScan[] = [];
      for (const s of scans) {
        if (out.length >= limit) break;
        if (!s.uploaded) out.push(s);
      }
      return out;
    },
    acknowledge: (upToSeq) =>
      serial(async () => {
        if (!scans.some((s) => !s.uploaded && s.seq <= upToSeq)) return;
        await appendFile.append([{ t: 'ack', upTo: upToSeq }]);
        for (const [i, s] of scans.entries()) if (!s.uploaded && s.seq <= upToSeq) scans[i] = { ...doneLineScan(s) };
        await compact();
      }),
    close: () => queue.then(() => appendFile.close()),
  };
}

function doneLineScan(s: JournalScan): JournalScan {
  const { code: _code, ...rest } = s;
  return { ...rest, uploaded: true };
}
