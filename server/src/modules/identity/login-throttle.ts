import type { Knex } from 'knex';

/**
 * Brute-force protection, kept in the database so that every server instance sees the same counts.
 *
 * - Per account and workstation: after 5 consecutive failures each further attempt waits an increasing
 *   delay (1 s, 2 s, 4 s, … up to 15 min) counted from the last failure. Per workstation, so an attacker
 *   at one station cannot delay the user at another.
 * - Per account: at most 100 failures per sliding hour; beyond that attempts are refused without
 *   checking the password until the hour has passed or an administrator unlocks the account.
 * - Per source address: at most 50 failures per 15 minutes, whatever the login name (password spraying).
 *
 * Nothing locks an account for good: every limit expires by itself, a successful login resets the
 * consecutive count, and an administrator's unlock resets all counts.
 */
export const THROTTLE = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  accountHourlyLimit: 100,
  sourceWindowMs: 15 * 60_000,
  sourceLimit: 50,
} as const;

export function lockoutDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures < THROTTLE.freeFailures) return 0;
  const exponent = Math.min(consecutiveFailures - THROTTLE.freeFailures, 20);
  return Math.min(THROTTLE.baseDelayMs * 2 ** exponent, THROTTLE.maxDelayMs);
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; reason: 'account_delay' | 'account_hourly_limit' | 'source_limit'; retryAfterMs: number };

interface AttemptRow {
  at: Date;
  outcome: 'success' | 'failure' | 'throttled';
}

export async function checkThrottle(
  db: Knex | Knex.Transaction,
  input: { userId: string | undefined; workstationId: string; sourceIp: string; lockoutResetAt: Date | null; now: Date },
): Promise<ThrottleVerdict> {
  const now = input.now.getTime();
  const sourceSince = new Date(now - THROTTLE.sourceWindowMs);
  const sourceFailures = await db('login_attempts')
    .where({ source_ip: input.sourceIp, outcome: 'failure' })
    .where('at', '>', sourceSince)
    .orderBy('at', 'asc')
    .select<AttemptRow[]>('at', 'outcome');
  if (sourceFailures.length >= THROTTLE.sourceLimit) {
    const oldest = sourceFailures[sourceFailures.length - THROTTLE.sourceLimit]?.at.getTime() ?? now;
    return { allowed: false, reason: 'source_limit', retryAfterMs: Math.max(1000, oldest + THROTTLE.sourceWindowMs - now) };
  }
  if (input.userId === undefined) return { allowed: true };

  const resetAt = input.lockoutResetAt?.getTime() ?? 0;
  const hourStart = new Date(Math.max(now - 3600_000, resetAt));
  const hourly = await db('login_attempts')
    .where({ user_id: input.userId, outcome: 'failure' })
    .where('at', '>', hourStart)
    .orderBy('at', 'asc')
    .select<AttemptRow[]>('at', 'outcome');
  if (hourly.length >= THROTTLE.accountHourlyLimit) {
    const oldest = hourly[hourly.length - THROTTLE.accountHourlyLimit]?.at.getTime() ?? now;
    return { allowed: false, reason: 'account_hourly_limit', retryAfterMs: Math.max(1000, oldest + 3600_000 - now) };
  }

  // Consecutive failures at this workstation since the last success (or reset).
  const lastSuccess = await db('login_attempts')
    .where({ user_id: input.userId, outcome: 'success' })
    .orderBy('at', 'desc')
    .first<{ at: Date } | undefined>('at');
  const since = new Date(Math.max(resetAt, lastSuccess?.at.getTime() ?? 0));
  const recent = await db('login_attempts')
    .where({ user_id: input.userId, workstation_id: input.workstationId, outcome: 'failure' })
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .select<AttemptRow[]>('at', 'outcome');
  const delay = lockoutDelayMs(recent.length);
  const last = recent[0]?.at.getTime();
  if (delay > 0 && last !== undefined && now < last + delay) {
    return { allowed: false, reason: 'account_delay', retryAfterMs: last + delay - now };
  }
  return { allowed: true };
}

export async function recordAttempt(
  db: Knex | Knex.Transaction,
  input: { at: Date; login: string; userId: string | undefined; workstationId: string; sourceIp: string; outcome: 'success' | 'failure' | 'throttled' },
): Promise<void> {
  await db('login_attempts').insert({
    at: input.at,
    login: input.login.slice(0, 200),
    user_id: input.userId ?? null,
    workstation_id: input.workstationId,
    source_ip: input.sourceIp,
    outcome: input.outcome,
  });
}
