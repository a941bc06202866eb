import { randomBytes } from 'node:crypto';
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
