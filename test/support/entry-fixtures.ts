import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateBarcode } from '../../src/shared/barcode.js';
import { scanListHash, type ScanListSnapshot } from '../../src/main/services/entry/scan-list-store.js';

/** `n` distinct fresh ticket barcodes. */
export function barcodes(n: number): string[] {
  const codes = new Set<string>();
  while (codes.size < n) codes.add(generateBarcode((k) => randomBytes(k)));
  return [...codes];
}

/** A scan list as the server would send it: valid, voided and cancelled codes as keyed hashes. */
export function snapshotOf(
  codes: { valid: readonly string[]; voided?: readonly string[]; cancelled?: readonly string[] },
  options: { key?: Uint8Array; listId?: string; cursor?: string; allowReentry?: boolean; validFrom?: string | null; validUntil?: string | null } = {},
): ScanListSnapshot {
  const key = options.key ?? randomBytes(32);
  const hash = (list: readonly string[] | undefined) => (list ?? []).map((c) => scanListHash(key, c));
  return {
    listId: options.listId ?? '6f1c2d1e-4a51-4a5e-9d38-5b3f0e2a7c11',
    cursor: options.cursor ?? 'c1',
    key,
    allowReentry: options.allowReentry ?? false,
    validFrom: options.validFrom ?? null,
    validUntil: options.validUntil ?? null,
    valid: hash(codes.valid),
    voided: hash(codes.voided),
    cancelled: hash(codes.cancelled),
  };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** One scan as the child process printed it once its verdict was returned. */
export interface ShownScan {
  readonly nonce: string;
  readonly seq: number;
  readonly verdict: string;
  readonly code: string;
}

/**
 * Runs test/support/entry-scan-child.ts on `dir` (its codes.json) in a real Node process and collects
 * the verdicts it printed; with `killAfter` it is killed with SIGKILL once that many were printed.
 */
export function runScanChild(dir: string, secretKey: Buffer, options: { killAfter?: number; gate?: string } = {}): Promise<{ shown: ShownScan[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', path.join(ROOT, 'test/support/entry-scan-child.ts'), dir, secretKey.toString('hex'), ...(options.gate === undefined ? [] : [options.gate])];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const shown: ShownScan[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [nonce, seq, verdict, code] = line.split(' ');
        if (code !== undefined) shown.push({ nonce: nonce!, seq: Number(seq), verdict: verdict!, code });
        if (options.killAfter !== undefined && shown.length >= options.killAfter && child.exitCode === null) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve({ shown, signal }) : reject(new Error(`scan child failed (${code}): ${stderr}`))));
  });
}
