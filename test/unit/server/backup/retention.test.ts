import { describe, expect, it } from 'vitest';
import { decideRetention, DEFAULT_RETENTION, isoWeek, parseInterval, type RetentionRules } from '../../../../server/src/backup/retention.js';

interface Fake {
  id: number;
  createdAt: Date;
}

const HOUR = 3_600_000;
const hourly = (from: Date, count: number): Fake[] => Array.from({ length: count }, (_, i) => ({ id: i, createdAt: new Date(from.getTime() + i * HOUR) }));

/** Backups made every hour, pruned after each one, the way `backup schedule --every 1h` runs. */
function simulate(from: Date, hours: number, rules: RetentionRules): Fake[] {
  let kept: Fake[] = [];
  for (const b of hourly(from, hours)) {
    kept = decideRetention([...kept, b], rules).keep.map((k) => k.backup);
  }
  return kept;
}

describe('staggered retention over a simulated year of hourly backups', () => {
  const start = new Date('2026-01-01T00:30:00Z');
  const hours = 365 * 24;
  const kept = simulate(start, hours, DEFAULT_RETENTION);
  const last = new Date(start.getTime() + (hours - 1) * HOUR); // 2026-12-31T23:30Z
  const keptTimes = new Set(kept.map((b) => b.createdAt.toISOString()));

  it('keeps every backup of the last 24 hours', () => {
    for (let i = 0; i < 24; i += 1) expect(keptTimes.has(new Date(last.getTime() - i * HOUR).toISOString()), `hour -${i}`).toBe(true);
  });

  it('keeps the last backup of each of the last 14 days', () => {
    for (let d = 0; d < 14; d += 1) {
      const day = new Date(Date.UTC(2026, 11, 31 - d, 23, 30));
      expect(keptTimes.has(day.toISOString()), day.toISOString()).toBe(true);
    }
    // and nothing else from days 2..14 beyond that one per day
    const days = kept.filter((b) => b.createdAt >= new Date('2026-12-18T00:00:00Z') && b.createdAt < new Date('2026-12-31T00:00:00Z'));
    expect(new Set(days.map((b) => b.createdAt.toISOString().slice(0, 10))).size).toBe(days.length);
  });

  it('keeps one backup for each of the last 13 ISO weeks and each of the 12 months', () => {
    const weeks = new Set(kept.map((b) => isoWeek(b.createdAt)));
    // 2026-12-31 is a Thursday in 2026-W53; the 13 weeks are W41..W53.
    for (let w = 41; w <= 53; w += 1) expect(weeks.has(`2026-W${w}`), `week ${w}`).toBe(true);
    const months = new Set(kept.map((b) => b.createdAt.toISOString().slice(0, 7)));
    for (let m = 1; m <= 12; m += 1) expect(months.has(`2026-${String(m).padStart(2, '0')}`), `month ${m}`).toBe(true);
    // The monthly backup of a closed month is its last one.
    expect(keptTimes.has('2026-01-31T23:30:00.000Z')).toBe(true);
    expect(keptTimes.has('2026-06-30T23:30:00.000Z')).toBe(true);
    // Nothing older than the 12 months / 13 weeks / 14 days / 24 hours survives in between.
    expect(kept.filter((b) => b.createdAt < new Date('2026-09-01T00:00:00Z')).every((b) => b.createdAt.getUTCDate() >= 28 && b.createdAt.getUTCHours() === 23)).toBe(true);
  });

  it('keeps a bounded number (at most 24 + 14 + 13 + 12) and the same set a one-shot decision over the whole year keeps', () => {
    expect(kept.length).toBeLessThanOrEqual(24 + 14 + 13 + 12);
    // 24 hours of Dec 31; 13 more days (Dec 18-30); 10 more weeks (W41-W50, W51-W53 end on kept days);
    // 11 more months (Jan-Nov, whose last backups are no week's last).
    expect(kept.length).toBe(24 + 13 + 10 + 11);
    const oneShot = decideRetention(hourly(start, hours), DEFAULT_RETENTION).keep.map((k) => k.backup.createdAt.toISOString());
    expect(new Set(oneShot)).toEqual(keptTimes);
  });
});

describe('retention edge cases', () => {
  it('always keeps the newest, even with every rule at 0', () => {
    const backups = hourly(new Date('2026-03-01T00:00:00Z'), 5);
    const decision = decideRetention(backups, { hourly: 0, daily: 0, weekly: 0, monthly: 0 });
    expect(decision.keep.map((k) => k.backup.id)).toEqual([4]);
    expect(decision.keep[0]?.reasons).toEqual(['newest']);
    expect(decision.remove.map((b) => b.id).sort()).toEqual([0, 1, 2, 3]);
  });

  it('handles no backups and unsorted input', () => {
    expect(decideRetention([], DEFAULT_RETENTION)).toEqual({ keep: [], remove: [] });
    const backups = hourly(new Date('2026-03-01T00:00:00Z'), 3).reverse();
    expect(decideRetention(backups, { hourly: 2, daily: 0, weekly: 0, monthly: 0 }).remove.map((b) => b.id)).toEqual([0]);
  });

  it('does not expire old backups faster when backups paused: periods without a backup do not count', () => {
    const old = hourly(new Date('2026-01-10T12:00:00Z'), 1);
    const recent = hourly(new Date('2026-06-01T00:00:00Z'), 1);
    const decision = decideRetention([...old, ...recent], { hourly: 0, daily: 2, weekly: 0, monthly: 0 });
    expect(decision.remove).toEqual([]);
  });

  it('several backups in one hour: only the newest of the hour is kept by the hourly rule', () => {
    const base = new Date('2026-03-01T10:00:00Z').getTime();
    const backups = [0, 15, 30, 45].map((m, id) => ({ id, createdAt: new Date(base + m * 60_000) }));
    const decision = decideRetention(backups, { hourly: 24, daily: 0, weekly: 0, monthly: 0 });
    expect(decision.keep.map((k) => k.backup.id)).toEqual([3]);
  });

  it('numbers ISO weeks in UTC, the Thursday deciding the year', () => {
    expect(isoWeek(new Date('2026-01-01T00:00:00Z'))).toBe('2026-W01');
    expect(isoWeek(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2026-12-06T23:59:59Z'))).toBe('2026-W49'); // Sunday
    expect(isoWeek(new Date('2026-12-07T00:00:00Z'))).toBe('2026-W50'); // Monday
  });

  it('parses schedule intervals', () => {
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('15m')).toBe(900_000);
    expect(parseInterval('30s')).toBe(30_000);
    expect(parseInterval('1d')).toBe(86_400_000);
    for (const bad of ['0h', '1', 'h', '1.5h', '-1h', '1w']) expect(parseInterval(bad), bad).toBeUndefined();
  });
});
