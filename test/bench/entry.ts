import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createOfflineEntry } from '../../src/main/services/entry/offline-entry.js';
import { decideOffline } from '../../src/main/services/entry/offline-verdict.js';
import { JOURNAL_FILE, openScanJournal } from '../../src/main/services/entry/scan-journal.js';
import { openScanListStore, SCAN_LIST_FILE, scanListHash, type ScanListSnapshot } from '../../src/main/services/entry/scan-list-store.js';
import type { Verdict } from '../../src/shared/api/entry.js';
import { generateBarcode } from '../../src/shared/barcode.js';
import { createFakeSecretStore } from '../unit/main/fake-secret-store.js';
import { figure, type BenchOutcome, type Figures } from './lib.js';

/**
 * Entry control at the station, offline: building, saving and loading a scan list of N tickets (keyed
 * hashes), and the offline verdict per scan with the durable journal write (append + fdatasync) that
 * comes before every verdict, against that list. Issue 6 targets: ≤ 1 ms p99 per offline verdict
 * including the journal write. Prints figures; exits 1 only when a verdict is wrong.
 *
 * The journal's fsync costs what the disk under --dir costs; the default is .tmp/ in the checkout (the
 * station keeps its data on its system disk, not on a RAM disk). The file system is printed.
 */

interface Options {
  tickets: number;
  scans: number;
  dir: string;
  keep: boolean;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HELP = `usage: npm run bench -- entry [--tickets N] [--scans N] [--dir DIR] [--keep]
  --tickets N  tickets on the scan list (100000)
  --scans N    offline scans through the journal: admissions, repeats, unknown codes, misreads (2000)
  --dir DIR    where the scan list and the journal are written (.tmp/ in the checkout)
  --keep       leave the files there`;

function parse(argv: string[]): Options | 'help' {
  const options: Options = { tickets: 100_000, scans: 2000, dir: path.join(ROOT, '.tmp'), keep: false };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    const int = (): number => {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer`);
      i += 1;
      return n;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--tickets':
        options.tickets = int();
        break;
      case '--scans':
        options.scans = int();
        break;
      case '--dir':
        if (value === undefined) throw new Error('--dir needs a directory');
        options.dir = path.resolve(value);
        i += 1;
        break;
      case '--keep':
        options.keep = true;
        break;
      case undefined:
      default:
        throw new Error(`unknown option ${String(flag)}`);
    }
  }
  if (options.scans > options.tickets) throw new Error('--scans may not exceed --tickets');
  return options;
}

/** The file system type of the mount that holds `dir` (Linux), for reading the fsync figures. */
function fileSystemOf(dir: string): string {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .filter((f) => f.length > 2 && (dir === f[1] || dir.startsWith(f[1] === '/' ? '/' : `${f[1]}/`)));
    mounts.sort((a, b) => b[1]!.length - a[1]!.length);
    return mounts[0]?.[2] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
const ms = (n: number, digits = 3): string => `${n.toFixed(digits)} ms`;

export async function runEntryBench(argv: string[]): Promise<BenchOutcome> {
  let options: Options;
  try {
    const parsed = parse(argv);
    if (parsed === 'help') {
      process.stdout.write(`${HELP}\n`);
      return { code: 0, figures: {} };
    }
    options = parsed;
  } catch (error) {
    console.error(`bench entry: ${(error as Error).message}\n\n${HELP}`);
    return { code: 2, figures: {} };
  }
  const figures: Figures = {};
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  await mkdir(options.dir, { recursive: true });
  const dir = mkdtempSync(path.join(options.dir, 'bench-entry-'));
  const failures: string[] = [];
  try {
    out(`entry bench (station, offline): ${options.tickets.toLocaleString('en-US')} tickets, ${options.scans.toLocaleString('en-US')} scans, data in ${dir} (${fileSystemOf(dir)})`);

    // The server's part of a full download: fresh barcodes, hashed under the list key.
    const codes = new Set<string>();
    while (codes.size < options.tickets) codes.add(generateBarcode((n) => randomBytes(n)));
    const all = [...codes];
    const voidedCount = Math.floor(options.tickets / 100);
    const key = randomBytes(32);
    let t = performance.now();
    const hashes = all.map((c) => scanListHash(key, c));
    const snapshot: ScanListSnapshot = {
      listId: 'bench-list',
      cursor: 'c1',
      key,
      allowReentry: false,
      validFrom: null,
      validUntil: null,
      valid: hashes.slice(voidedCount * 2),
      voided: hashes.slice(0, voidedCount),
      cancelled: hashes.slice(voidedCount, voidedCount * 2),
    };
    const buildMs = performance.now() - t;

    const secrets = createFakeSecretStore();
    const clock = { now: () => new Date() };
    const first = await openScanListStore({ dir, secrets, clock });
    t = performance.now();
    const saved = await first.replace(snapshot);
    const saveMs = performance.now() - t;
    if (!saved.ok) throw new Error(`scan list not saved: ${saved.code}`);
    await first.close();

    t = performance.now();
    const scanList = await openScanListStore({ dir, secrets, clock });
    const loadMs = performance.now() - t;
    const list = scanList.current();
    if (list === undefined || list.size !== options.tickets) throw new Error('scan list not loaded');
    const bytes = statSync(path.join(dir, SCAN_LIST_FILE)).size;
    out(`scan list build (${options.tickets.toLocaleString('en-US')} HMAC-SHA256 keyed hashes, the server's share of a download): ${ms(buildMs, 0)}`);
    out(`scan list save (snapshot written, fsynced, renamed): ${ms(saveMs, 0)}, ${(bytes / 1e6).toFixed(1)} MB`);
    out(`scan list load (read, unseal key, index ${options.tickets.toLocaleString('en-US')} entries): ${ms(loadMs, 0)}`);
    Object.assign(figures, { listTickets: options.tickets, listBuildMs: figure(buildMs), listSaveMs: figure(saveMs), listBytes: bytes, listLoadMs: figure(loadMs) });

    // Verdict alone (hash + lookup), without the journal, for scale.
    const pure: number[] = [];
    for (let i = 0; i < options.scans; i += 1) {
      const code = all[(i * 7919) % all.length] as string;
      const s = performance.now();
      decideOffline({ code, direction: 'in', now: new Date() }, list, () => undefined);
      pure.push(performance.now() - s);
    }
    pure.sort((a, b) => a - b);
    out(`offline verdict without the journal (HMAC + lookup), per scan: p50 ${ms(quantile(pure, 0.5))}, p99 ${ms(quantile(pure, 0.99))}`);
    Object.assign(figures, { verdictP50Ms: figure(quantile(pure, 0.5), 4), verdictP99Ms: figure(quantile(pure, 0.99), 4) });

    // The gate: admissions of valid codes, a share of repeats, voided, unknown and misread codes.
    const journal = await openScanJournal({ dir });
    const entry = createOfflineEntry({ scanList, journal, clock, gate: 'Bench' });
    const validCodes = all.slice(voidedCount * 2);
    const plan: Array<{ code: string; expect: Verdict }> = [];
    const admittedSoFar: string[] = [];
    for (let i = 0; i < options.scans; i += 1) {
      const pick = i % 20;
      if (pick === 0 && admittedSoFar.length > 0) plan.push({ code: admittedSoFar[i % admittedSoFar.length] as string, expect: 'already_admitted' });
      else if (pick === 1) plan.push({ code: all[i % voidedCount] as string, expect: 'voided' });
      else if (pick === 2) plan.push({ code: generateBarcode((n) => randomBytes(n)), expect: 'unknown' });
      else if (pick === 3) {
        const c = validCodes[i] as string;
        plan.push({ code: `${c.slice(0, 21)}${c[21] === '0' ? '1' : '0'}`, expect: 'malformed' });
      } else {
        const c = validCodes[i] as string;
        admittedSoFar.push(c);
        plan.push({ code: c, expect: 'admitted' });
      }
    }
    const timings: number[] = [];
    const counts = new Map<Verdict, number>();
    for (const { code, expect } of plan) {
      const s = performance.now();
      const result = await entry.scan(code);
      timings.push(performance.now() - s);
      if (!result.ok) throw new Error(`scan failed: ${result.error.code}`);
      counts.set(result.value.verdict, (counts.get(result.value.verdict) ?? 0) + 1);
      if (result.value.verdict !== expect && failures.length < 5) failures.push(`${code}: ${result.value.verdict}, expected ${expect}`);
    }
    await journal.close();
    await scanList.close();
    timings.sort((a, b) => a - b);
    out(
      `offline verdict incl. durable journal write (append + fdatasync), per scan: p50 ${ms(quantile(timings, 0.5))}, p99 ${ms(quantile(timings, 0.99))}, max ${ms(timings.at(-1) ?? Number.NaN)}  (target p99 ≤ 1 ms)`,
    );
    out(`  verdicts: ${[...counts.entries()].map(([v, n]) => `${v} ${n}`).join(', ')}`);
    Object.assign(figures, { journalVerdictP50Ms: figure(quantile(timings, 0.5), 3), journalVerdictP99Ms: figure(quantile(timings, 0.99), 3), journalVerdictMaxMs: figure(timings.at(-1), 3) });

    // The disk alone: the same number of journal-sized appends with fdatasync and nothing else, so the
    // share of the verdict time that is the disk's own fsync latency can be read off.
    const lineBytes = Math.ceil(statSync(path.join(dir, JOURNAL_FILE)).size / plan.length);
    const baseline = await open(path.join(dir, 'fsync-baseline'), 'a');
    const bare: number[] = [];
    const payload = `${'x'.repeat(Math.max(1, lineBytes - 1))}\n`;
    for (let i = 0; i < plan.length; i += 1) {
      const s = performance.now();
      await baseline.appendFile(payload);
      await baseline.datasync();
      bare.push(performance.now() - s);
    }
    await baseline.close();
    bare.sort((a, b) => a - b);
    out(`disk baseline, bare append + fdatasync of a ${lineBytes}-byte line: p50 ${ms(quantile(bare, 0.5))}, p99 ${ms(quantile(bare, 0.99))}, max ${ms(bare.at(-1) ?? Number.NaN)}`);
    Object.assign(figures, { fdatasyncP50Ms: figure(quantile(bare, 0.5), 3), fdatasyncP99Ms: figure(quantile(bare, 0.99), 3) });
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
  figures['ok'] = failures.length === 0;
  if (failures.length > 0) {
    console.error(`wrong verdicts:\n  ${failures.join('\n  ')}`);
    return { code: 1, figures };
  }
  return { code: 0, figures };
}
