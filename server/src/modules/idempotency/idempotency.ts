import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../../errors.js';
import { canonicalJson } from '../audit/chain.js';

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_-]{16,100}$/;

export function requestHash(parts: unknown): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new AppError(400, 'IDEMPOTENCY_KEY_REQUIRED', 'This write needs an Idempotency-Key header (16–100 characters: letters, digits, - and _).');
  }
  return key;
}

export interface StoredResponse<T> {
  status: number;
  body: T;
  replayed: boolean;
}

/**
 * Runs a write at most once per (tenant, scope, key), inside the caller's transaction. The key row is
 * inserted first: a concurrent duplicate blocks on it until this transaction ends, then finds the stored
 * response. The same key with a different request is refused. A write that fails rolls the key back
 * with everything else, so a retry can succeed later.
 */
export async function onceOnly<T>(
  trx: Knex.Transaction,
  input: { tenantId: string; scope: string; key: string; requestHash: string; now: Date },
  run: () => Promise<{ status: number; body: T }>,
): Promise<StoredResponse<T>> {
  const inserted = await trx('idempotency_keys')
    .insert({ tenant_id: input.tenantId, scope: input.scope, key: input.key, request_hash: input.requestHash, created_at: input.now })
    .onConflict(['tenant_id', 'scope', 'key'])
    .ignore()
    .returning<Array<{ key: string }>>('key');
  if (inserted.length === 0) {
    const existing = await trx('idempotency_keys')
      .where({ tenant_id: input.tenantId, scope: input.scope, key: input.key })
      .first<{ request_hash: string; status_code: number | null; response: T | null } | undefined>('request_hash', 'status_code', 'response');
    if (existing === undefined || existing.status_code === null || existing.response === null) {
      throw new AppError(409, 'IDEMPOTENCY_IN_PROGRESS', 'The same request is still being processed; retry shortly.');
    }
    if (existing.request_hash !== input.requestHash) {
      throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used for a different request.');
    }
    return { status: existing.status_code, body: existing.response, replayed: true };
  }
  const result = await run();
  await trx('idempotency_keys')
    .where({ tenant_id: input.tenantId, scope: input.scope, key: input.key })
    .update({ status_code: result.status, response: JSON.stringify(result.body) });
  return { ...result, replayed: false };
}
