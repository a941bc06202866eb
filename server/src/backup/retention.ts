/**
 * Staggered retention, decided by a pure function so it can be tested over a simulated year.
 *
 * Rule "keep N per period" (the convention of borg and restic): walk the backups newest first and keep
 * the newest backup of each period (UTC hour, day, ISO week starting Monday, month) until N periods are
 * covered. Periods without any backup do not count, so a pause in backups never makes old ones expire
 * faster. The newest backup is always kept. With hourly backups the defaults keep every hour of the
 * last 24 hours, one per day for 14 days, one per week for 13 weeks and one per month for 12 months.
 */
export interface RetentionRules {
  hourly: number;
  daily: number;
  weekly: number;
  monthly: number;
}

export const DEFAULT_RETENTION: RetentionRules = { hourly: 24, daily: 14, weekly: 13, monthly: 12 };

export type RetentionReason = keyof RetentionRules | 'newest';

export interface RetentionDecision<T> {
  keep: Array<{ backup: T; reasons: RetentionReason[] }>;
  remove: T[];
}

const PERIODS: ReadonlyArray<readonly [keyof RetentionRules, (at: Date) => string]> = [
  ['hourly', (at) => at.toISOString().slice(0, 13)],
  ['daily', (at) => at.toISOString().slice(0, 10)],
  ['weekly', isoWeek],
  ['monthly', (at) => at.toISOString().slice(0, 7)],
];

/** ISO 8601 week in UTC, e.g. 2026-W49. */
export function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the week's Thursday decides its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil((d.getTime() - yearStart) / 86_400_000 / 7 + 1 / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function decideRetention<T extends { createdAt: Date }>(backups: readonly T[], rules: RetentionRules): RetentionDecision<T> {
  const newestFirst = [...backups].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const reasons = new Map<T, RetentionReason[]>();
  const mark = (b: T, reason: RetentionReason) => reasons.set(b, [...(reasons.get(b) ?? []), reason]);
  if (newestFirst[0] !== undefined) mark(newestFirst[0], 'newest');
  for (const [rule, periodOf] of PERIODS) {
    const limit = rules[rule];
    const seen = new Set<string>();
    for (const b of newestFirst) {
      if (seen.size >= limit) break;
      const period = periodOf(b.createdAt);
      if (seen.has(period)) continue;
      seen.add(period);
      mark(b, rule);
    }
  }
  return {
    keep: newestFirst.filter((b) => reasons.has(b)).map((backup) => ({ backup, reasons: reasons.get(backup) ?? [] })),
    remove: newestFirst.filter((b) => !reasons.has(b)),
  };
}

/** "90s", "15m", "1h", "1d" → milliseconds. */
export function parseInterval(text: string): number | undefined {
  const m = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (m === null) return undefined;
  const n = Number(m[1]);
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return n > 0 ? n * unit : undefined;
}
