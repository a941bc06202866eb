import type { Knex } from 'knex';
import type { Clock } from '../../clock.js';
import { inTenant } from '../../db/tenant-scope.js';
import { AppError } from '../../errors.js';
import { appendAudit, type AuditEntry } from '../audit/repository.js';
import { createTenantRepository } from '../tenants/repository.js';

/**
 * Maintenance mode: one window (now or scheduled) in the table maintenance_window, platform-wide. While
 * the clock is inside the window, the sales routes (MAINTENANCE_STOPPED_ROUTES) answer 503 MAINTENANCE;
 * entry and everything else keep working. A scheduled window switches on and off by itself, because the
 * decision compares the stored window with the clock on every request.
 *
 * Every server instance reads the row at most once per `cacheMs` (2 s by default), so a change takes
 * effect on all instances within that time; the window's own start and end are exact.
 */
export interface MaintenanceWindow {
  startsAt: Date;
  endsAt: Date | null;
  message: string;
  setAt: Date;
  setBy: string | null;
}

export interface MaintenanceState {
  /** Sales are stopped now. */
  active: boolean;
  /** The stored window (active, or scheduled for later); null when none is set or it has ended. */
  window: MaintenanceWindow | null;
}

export const MAINTENANCE_CACHE_MS = 2000;
export const MAINTENANCE_MESSAGE_MAX = 500;
/** Retry-After of a window without an announced end. */
export const MAINTENANCE_OPEN_END_RETRY_SECONDS = 300;

/** Who changes the switch: a logged-in operator user, or the command line on the server (no user). */
export type MaintenanceActor =
  | { kind: 'user'; userId: string; tenantId: string; workstationId: string; sourceIp: string }
  | { kind: 'cli'; osUser: string };

interface WindowRow {
  starts_at: Date;
  ends_at: Date | null;
  message: string;
  set_at: Date;
  set_by: string | null;
}

export function stateAt(window: MaintenanceWindow | null, now: Date): MaintenanceState {
  if (window === null) return { active: false, window: null };
  if (window.endsAt !== null && window.endsAt.getTime() <= now.getTime()) return { active: false, window: null };
  return { active: window.startsAt.getTime() <= now.getTime(), window };
}

export function retryAfterSeconds(window: MaintenanceWindow, now: Date): number {
  if (window.endsAt === null) return MAINTENANCE_OPEN_END_RETRY_SECONDS;
  return Math.max(1, Math.ceil((window.endsAt.getTime() - now.getTime()) / 1000));
}

async function readWindow(db: Knex | Knex.Transaction): Promise<MaintenanceWindow | null> {
  const row = await db('maintenance_window').where({ id: 1 }).first<WindowRow | undefined>('starts_at', 'ends_at', 'message', 'set_at', 'set_by');
  if (row === undefined) return null;
  return { startsAt: row.starts_at, endsAt: row.ends_at, message: row.message, setAt: row.set_at, setBy: row.set_by };
}

export interface MaintenanceService {
  /** The state now, from the per-process cache (at most cacheMs old). */
  current(): Promise<MaintenanceState>;
  /** Sets (or replaces) the window; audited. */
  set(input: { from?: Date | undefined; until?: Date | undefined; message: string }, actor: MaintenanceActor): Promise<MaintenanceState>;
  /** Removes the window (switches maintenance off, or cancels a scheduled one); audited when there was one. */
  clear(actor: MaintenanceActor): Promise<{ cleared: boolean; state: MaintenanceState }>;
}

export function createMaintenanceService(deps: { knex: Knex; clock: Clock; cacheMs?: number }): MaintenanceService {
  const cacheMs = deps.cacheMs ?? MAINTENANCE_CACHE_MS;
  let cached: { window: MaintenanceWindow | null; readAt: number } | undefined;
  let reading: Promise<MaintenanceWindow | null> | undefined;

  async function window(): Promise<MaintenanceWindow | null> {
    const now = Date.now();
    if (cached !== undefined && now - cached.readAt < cacheMs) return cached.window;
    // One read per process at a time, however many requests ask at once.
    reading ??= readWindow(deps.knex).then(
      (w) => {
        cached = { window: w, readAt: Date.now() };
        reading = undefined;
        return w;
      },
      (error: unknown) => {
        reading = undefined;
        throw error;
      },
    );
    return reading;
  }

  /** Audit rows go to the operator's chain: the switch is the platform operator's. */
  async function write<T>(actor: MaintenanceActor, fn: (trx: Knex.Transaction, audit: (entry: Pick<AuditEntry, 'action' | 'details'>) => Promise<void>) => Promise<T>): Promise<T> {
    const operator = actor.kind === 'user' ? { id: actor.tenantId } : await createTenantRepository().findOperator(deps.knex);
    if (operator === undefined) throw new AppError(409, 'NO_OPERATOR', 'No operator tenant exists yet.');
    const now = deps.clock.now();
    const result = await inTenant(deps.knex, { tenantId: operator.id }, (trx) =>
      fn(trx, async (entry) => {
        await appendAudit(trx, {
          tenantId: operator.id,
          at: now,
          actorUserId: actor.kind === 'user' ? actor.userId : null,
          workstationId: actor.kind === 'user' ? actor.workstationId : null,
          sourceIp: actor.kind === 'user' ? actor.sourceIp : null,
          action: entry.action,
          entity: 'maintenance',
          entityId: null,
          details: { ...entry.details, via: actor.kind === 'cli' ? `cli (${actor.osUser})` : 'api' },
        });
      }),
    );
    cached = undefined;
    return result;
  }

  return {
    async current() {
      return stateAt(await window(), deps.clock.now());
    },

    async set(input, actor) {
      const now = deps.clock.now();
      const message = input.message.trim();
      if (message.length === 0 || [...message].length > MAINTENANCE_MESSAGE_MAX) {
        throw new AppError(400, 'MAINTENANCE_WINDOW_INVALID', `The message must have 1 to ${MAINTENANCE_MESSAGE_MAX} characters.`);
      }
      const startsAt = input.from ?? now;
      const endsAt = input.until ?? null;
      if (endsAt !== null && endsAt.getTime() <= Math.max(startsAt.getTime(), now.getTime())) {
        throw new AppError(400, 'MAINTENANCE_WINDOW_INVALID', 'The window must end after its start and in the future.');
      }
      return write(actor, async (trx, audit) => {
        const previous = await readWindow(trx);
        const row = { id: 1, starts_at: startsAt, ends_at: endsAt, message, set_at: now, set_by: actor.kind === 'user' ? actor.userId : null };
        await trx('maintenance_window').insert(row).onConflict('id').merge();
        await audit({
          action: 'maintenance.set',
          details: {
            from: startsAt.toISOString(),
            until: endsAt?.toISOString() ?? null,
            message,
            replaced: previous === null ? null : { from: previous.startsAt.toISOString(), until: previous.endsAt?.toISOString() ?? null },
          },
        });
        return stateAt({ startsAt, endsAt, message, setAt: now, setBy: row.set_by }, now);
      });
    },

    async clear(actor) {
      return write(actor, async (trx, audit) => {
        const previous = await readWindow(trx);
        if (previous === null) return { cleared: false, state: { active: false, window: null } };
        await trx('maintenance_window').where({ id: 1 }).delete();
        const now = deps.clock.now();
        await audit({
          action: 'maintenance.clear',
          details: { from: previous.startsAt.toISOString(), until: previous.endsAt?.toISOString() ?? null, wasActive: stateAt(previous, now).active },
        });
        return { cleared: true, state: { active: false, window: null } };
      });
    },
  };
}
