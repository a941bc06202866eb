import { isTransientTransportCode } from './transport.js';

/**
 * When a request is sent again. The rule that matters: a write is retried only when it carries an
 * Idempotency-Key (the same one on every attempt), because only then can the server recognise the
 * repetition and answer with the first result instead of acting twice. Reads are always safe to repeat.
 */
export interface RetryPolicy {
  /** Attempts in total, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for; the error goes to the caller instead. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 10_000 };

/** 502/503/504: a balancer without backend, a restarting server, an overloaded database. */
const RETRYABLE_STATUS: ReadonlySet<number> = new Set([502, 503, 504]);

export type Outcome =
  | { readonly kind: 'transport'; readonly code: string }
  | { readonly kind: 'http'; readonly status: number; readonly code?: string; readonly retryAfterSeconds?: number };

/** May this request be sent more than once at all? */
export function isRepeatable(method: string, hasIdempotencyKey: boolean): boolean {
  return method === 'GET' || method === 'HEAD' || hasIdempotencyKey;
}

/**
 * Milliseconds to wait before the next attempt, or undefined to stop. `attempt` is the number of the
 * attempt that just failed (1 = the first). `random` in [0, 1) spreads the stations' retries after a
 * server restart so they do not all arrive in the same instant.
 */
export function nextDelay(policy: RetryPolicy, attempt: number, repeatable: boolean, outcome: Outcome, random: () => number): number | undefined {
  if (!repeatable || attempt >= policy.attempts) return undefined;
  let retryAfterMs = 0;
  if (outcome.kind === 'transport') {
    if (!isTransientTransportCode(outcome.code)) return undefined;
  } else {
    // The same key still being processed by another server instance: its answer will be ready shortly.
    const inProgress = outcome.status === 409 && outcome.code === 'IDEMPOTENCY_IN_PROGRESS';
    if (!RETRYABLE_STATUS.has(outcome.status) && !inProgress) return undefined;
    retryAfterMs = (outcome.retryAfterSeconds ?? 0) * 1000;
    if (retryAfterMs > policy.maxRetryAfterMs) return undefined;
  }
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(exponential * (0.5 + random() / 2));
  return Math.max(jittered, retryAfterMs);
}
