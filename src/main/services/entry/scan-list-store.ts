/**
 * The offline scan list of one entry list, on disk in the station's data directory. It holds every
 * barcode the list admits, and the voided and cancelled ones, only as HMAC-SHA256 under the list's own
 * key (scanListHash: 16 bytes, base64url), never the codes themselves: a stolen station yields no code that could
 * be printed on a ticket. The key is needed to hash a scanned code, so it is stored too, sealed by the OS
 * secret store (Electron safeStorage: DPAPI, Keychain, libsecret), like the workstation's passphrase.
 * Residual risk, for the README: someone with the unsealed key and the list can test guessed codes
 * offline; with 20 random digits (10^20 codes) and 100 000 valid tickets that is 10^15 HMACs per hit.
 *
 * Files: `scan-list.json` (full snapshot, replaced atomically) and `scan-list-changes.jsonl`
 * (incremental changes since that snapshot, one fsynced line per sync with changes). Each change line
 * carries the snapshot's generation; folding the changes into a new snapshot bumps the generation, so
 * lines of an older generation that a crash left in the log are skipped on load.
 */
import { createHmac } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../../ports/clock.js';
import type { SecretStore } from '../../ports/secret-store.js';
import { openAppendFile, readJsonLines, replaceFileAtomically, type AppendFile } from './durable-file.js';

export type ScanListState = 'valid' | 'voided' | 'cancelled';
const STATES: readonly ScanListState[] = ['valid', 'voided', 'cancelled'];

export const SCAN_LIST_FILE = 'scan-list.json';
export const SCAN_LIST_CHANGES_FILE = 'scan-list-changes.jsonl';
/** 16 bytes in base64url. */
const HASH_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/**
 * A raw ticket barcode has the same length; a real hash is all digits with a chance of about 10^-18.
 * Refusing those keeps a server bug from putting printable codes on the station's disk.
 */
const RAW_BARCODE = /^[0-9]{22}$/;
const isHash = (h: unknown): h is string => typeof h === 'string' && HASH_PATTERN.test(h) && !RAW_BARCODE.test(h);
const KEY_BYTES = 32;

/**
 * The keyed hash of a barcode as server (server/src/modules/entry/service.ts) and station compute it:
 * base64url of the first 16 bytes of HMAC-SHA256(list key, code). 128 bits keep 100 000 entries apart
 * (a collision is about 10^-29 likely) at half the size.
 */
export function scanListHash(key: Uint8Array, code: string): string {
  return createHmac('sha256', key).update(code, 'utf8').digest().subarray(0, 16).toString('base64url');
}

/** A full scan list as the server delivers it. */
export interface ScanListSnapshot {
  readonly listId: string;
  /** The server's sync position; incremental changes start from it. */
  readonly cursor: string;
  readonly key: Uint8Array;
  readonly allowReentry: boolean;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  /** Keyed hashes (scanListHash) per state. */
  readonly valid: readonly string[];
  readonly voided: readonly string[];
  readonly cancelled: readonly string[];
}

export interface ScanListChange {
  readonly hash: string;
  /** 'removed': the code left the list (e.g. moved to another entry list). */
  readonly state: ScanListState | 'removed';
}

/** What changed on the server since `fromCursor`. */
export interface ScanListChanges {
  readonly listId: string;
  readonly fromCursor: string;
  readonly toCursor: string;
  readonly changes: readonly ScanListChange[];
}

export const ScanListErrorCode = {
  /** The changes do not start where the station's list is: download the full list. */
  cursorMismatch: 'SCAN_LIST_CURSOR_MISMATCH',
  /** Changes for another entry list than the one held. */
  otherList: 'SCAN_LIST_OTHER_LIST',
  /** No scan list yet: download the full list. */
  none: 'SCAN_LIST_MISSING',
  /** The server's data is not a scan list (bad hash, key size, time). Nothing was changed. */
  invalid: 'SCAN_LIST_INVALID',
  /** Without the OS secret store the key cannot be stored sealed, so no list is kept. */
  noSecretStore: 'SECURE_STORAGE_UNAVAILABLE',
} as const;
export type ScanListErrorCode = (typeof ScanListErrorCode)[keyof typeof ScanListErrorCode];

export type ScanListResult = { readonly ok: true } | { readonly ok: false; readonly code: ScanListErrorCode; readonly message: string };

/** The list in memory, for verdicts. */
export interface ScanList {
  readonly listId: string;
  readonly cursor: string;
  readonly allowReentry: boolean;
  readonly validFrom: Date | null;
  readonly validUntil: Date | null;
  /** When the station last heard from the server about this list (full or incremental sync). */
  readonly syncedAt: Date;
  readonly size: number;
  hashOf(code: string): string;
  stateOf(hash: string): ScanListState | undefined;
}

export interface ScanListStore {
  current(): ScanList | undefined;
  replace(snapshot: ScanListSnapshot): Promise<ScanListResult>;
  /** An incremental sync; with no changes and the same cursor only the list's age is reset (in memory). */
  applyChanges(changes: ScanListChanges): Promise<ScanListResult>;
  /** Milliseconds since the last sync; undefined without a list. */
  ageMs(): number | undefined;
  close(): Promise<void>;
}

interface SnapshotFile {
  format: 1;
  generation: number;
  listId: string;
  cursor: string;
  syncedAt: string;
  key: { protection: 'os-secure-storage'; data: string };
  allowReentry: boolean;
  validFrom: string | null;
  validUntil: string | null;
  valid: string[];
  voided: string[];
  cancelled: string[];
}

interface ChangeLine {
  generation: number;
  listId: string;
  from: string;
  to: string;
  syncedAt: string;
  changes: Array<[string, ScanListState | 'removed']>;
}

const fail = (code: ScanListErrorCode, message: string): ScanListResult => ({ ok: false, code, message });
const isTime = (v: unknown): v is string | null => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));
const isText = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function badHash(hashes: unknown): string | undefined {
  if (!Array.isArray(hashes)) return 'not a list of hashes';
  for (const h of hashes) if (!isHash(h)) return `not a keyed hash: ${typeof h === 'string' ? `${h.length} characters` : typeof h}`;
  return undefined;
}

function checkSnapshotShape(s: Omit<ScanListSnapshot, 'key'>): string | undefined {
  if (!isText(s.listId) || !isText(s.cursor)) return 'listId and cursor are required';
  if (typeof s.allowReentry !== 'boolean' || !isTime(s.validFrom) || !isTime(s.validUntil)) return 'allowReentry, validFrom or validUntil invalid';
  for (const state of STATES) {
    const problem = badHash(s[state]);
    if (problem !== undefined) return `${state}: ${problem}`;
  }
  return undefined;
}

/** Folds the later lists over the earlier: a hash in `cancelled` wins over `voided` over `valid`. */
function buildMap(s: Pick<ScanListSnapshot, ScanListState>): Map<string, ScanListState> {
  const map = new Map<string, ScanListState>();
  for (const state of STATES) for (const hash of s[state]) map.set(hash, state);
  return map;
}

export async function openScanListStore(deps: { readonly dir: string; readonly secrets: SecretStore; readonly clock: Clock; readonly compactAfterChanges?: number }): Promise<ScanListStore> {
  await mkdir(deps.dir, { recursive: true, mode: 0o700 });
  const snapshotPath = path.join(deps.dir, SCAN_LIST_FILE);
  const changesPath = path.join(deps.dir, SCAN_LIST_CHANGES_FILE);
  const compactAfter = deps.compactAfterChanges ?? 50_000;

  interface Held {
    meta: Omit<SnapshotFile, 'valid' | 'voided' | 'cancelled' | 'syncedAt'>;
    key: Buffer;
    map: Map<string, ScanListState>;
    syncedAt: Date;
    changesSinceSnapshot: number;
  }
  let held: Held | undefined;
  let changesFile: AppendFile | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  const view = (h: Held): ScanList => ({
    listId: h.meta.listId,
    cursor: h.meta.cursor,
    allowReentry: h.meta.allowReentry,
    validFrom: h.meta.validFrom === null ? null : new Date(h.meta.validFrom),
    validUntil: h.meta.validUntil === null ? null : new Date(h.meta.validUntil),
    syncedAt: h.syncedAt,
    size: h.map.size,
    hashOf: (code) => scanListHash(h.key, code),
    stateOf: (hash) => h.map.get(hash),
  });
  let currentView: ScanList | undefined;

  function snapshotFileOf(h: Held): SnapshotFile {
    const lists: Record<ScanListState, string[]> = { valid: [], voided: [], cancelled: [] };
    for (const [hash, state] of h.map) lists[state].push(hash);
    return { ...h.meta, syncedAt: h.syncedAt.toISOString(), ...lists };
  }

  /** Writes the held list as the new snapshot and starts an empty change log for its generation. */
  async function writeSnapshot(h: Held): Promise<void> {
    await changesFile?.close();
    changesFile = undefined;
    await replaceFileAtomically(snapshotPath, JSON.stringify(snapshotFileOf(h)));
    await replaceFileAtomically(changesPath, '');
    changesFile = await openAppendFile(changesPath, 0);
    h.changesSinceSnapshot = 0;
  }

  async function load(): Promise<void> {
    let file: SnapshotFile;
    try {
      file = JSON.parse(await readFile(snapshotPath, 'utf8')) as SnapshotFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        const log = await readJsonLines(changesPath);
        changesFile = await openAppendFile(changesPath, log.goodBytes);
        return;
      }
      throw new Error(`${SCAN_LIST_FILE} cannot be read: ${(error as Error).message}`);
    }
    const problem = file.format !== 1 || !Number.isInteger(file.generation) || file.key?.protection !== 'os-secure-storage' || !isTime(file.syncedAt) ? 'header invalid' : checkSnapshotShape(file);
    if (problem !== undefined) throw new Error(`${SCAN_LIST_FILE} is damaged: ${problem}`);
    const key = Buffer.from(deps.secrets.decrypt(Buffer.from(file.key.data, 'base64')), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${SCAN_LIST_FILE}: the sealed key has ${key.length} bytes`);
    const { valid, voided, cancelled, syncedAt, ...meta } = file;
    const h: Held = { meta, key, map: buildMap({ valid, voided, cancelled }), syncedAt: new Date(syncedAt), changesSinceSnapshot: 0 };

    const log = await readJsonLines(changesPath);
    for (const value of log.values) {
      const line = value as ChangeLine;
      if (line.generation !== h.meta.generation) continue;
      if (line.listId !== h.meta.listId || line.from !== h.meta.cursor || !Array.isArray(line.changes)) throw new Error(`${SCAN_LIST_CHANGES_FILE} does not continue the snapshot`);
      for (const [hash, state] of line.changes) {
        if (state === 'removed') h.map.delete(hash);
        else h.map.set(hash, state);
      }
      h.meta.cursor = line.to;
      h.syncedAt = new Date(line.syncedAt);
      h.changesSinceSnapshot += line.changes.length;
    }
    changesFile = await openAppendFile(changesPath, log.goodBytes);
    held = h;
    currentView = view(h);
  }

  await load();

  return {
    current: () => currentView,
    replace: (snapshot) =>
      serial(async () => {
        const problem = checkSnapshotShape(snapshot);
        if (problem !== undefined) return fail(ScanListErrorCode.invalid, problem);
        if (!(snapshot.key instanceof Uint8Array) || snapshot.key.length !== KEY_BYTES) return fail(ScanListErrorCode.invalid, `the key must have ${KEY_BYTES} bytes`);
        if (!deps.secrets.isAvailable()) return fail(ScanListErrorCode.noSecretStore, 'no OS secret store to seal the scan-list key');
        const key = Buffer.from(snapshot.key);
        const sealed = Buffer.from(deps.secrets.encrypt(key.toString('base64'))).toString('base64');
        const next: Held = {
          meta: {
            format: 1,
            generation: (held?.meta.generation ?? 0) + 1,
            listId: snapshot.listId,
            cursor: snapshot.cursor,
            key: { protection: 'os-secure-storage', data: sealed },
            allowReentry: snapshot.allowReentry,
            validFrom: snapshot.validFrom,
            validUntil: snapshot.validUntil,
          },
          key,
          map: buildMap(snapshot),
          syncedAt: deps.clock.now(),
          changesSinceSnapshot: 0,
        };
        await writeSnapshot(next);
        held = next;
        currentView = view(next);
        return { ok: true } as const;
      }),
    applyChanges: (changes) =>
      serial(async () => {
        const h = held;
        if (h === undefined) return fail(ScanListErrorCode.none, 'no scan list to apply changes to');
        if (changes.listId !== h.meta.listId) return fail(ScanListErrorCode.otherList, `changes for list ${changes.listId}, holding ${h.meta.listId}`);
        if (changes.fromCursor !== h.meta.cursor) return fail(ScanListErrorCode.cursorMismatch, `changes from ${changes.fromCursor}, list at ${h.meta.cursor}`);
        if (!isText(changes.toCursor)) return fail(ScanListErrorCode.invalid, 'toCursor is required');
        for (const c of changes.changes) {
          if (!isHash(c.hash) || !(c.state === 'removed' || STATES.includes(c.state))) return fail(ScanListErrorCode.invalid, `bad change (state ${String(c.state)})`);
        }
        const syncedAt = deps.clock.now();
        // A new cursor is written even without changes: the next line on disk must start where this one ends.
        if (changes.changes.length > 0 || changes.toCursor !== h.meta.cursor) {
          const line: ChangeLine = { generation: h.meta.generation, listId: h.meta.listId, from: h.meta.cursor, to: changes.toCursor, syncedAt: syncedAt.toISOString(), changes: changes.changes.map((c) => [c.hash, c.state]) };
          await (changesFile as AppendFile).append([line]);
        }
        for (const c of changes.changes) {
          if (c.state === 'removed') h.map.delete(c.hash);
          else h.map.set(c.hash, c.state);
        }
        h.meta.cursor = changes.toCursor;
        h.syncedAt = syncedAt;
        h.changesSinceSnapshot += changes.changes.length;
        if (h.changesSinceSnapshot >= compactAfter) {
          h.meta.generation += 1;
          await writeSnapshot(h);
        }
        currentView = view(h);
        return { ok: true } as const;
      }),
    ageMs: () => (held === undefined ? undefined : deps.clock.now().getTime() - held.syncedAt.getTime()),
    close: () => serial(async () => changesFile?.close()),
  };
}
