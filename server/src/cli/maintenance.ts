import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import { createMaintenanceService, type MaintenanceActor, type MaintenanceState } from '../modules/maintenance/service.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage.js';

export const MAINTENANCE_USAGE = `maintenance status                      the maintenance window (active, scheduled or none)
maintenance on --message TEXT [--from ISO] [--until ISO]
                                        stop sales now (or from --from) until --until or "off"
maintenance off                         end the window now (or cancel a scheduled one)`;

function describe(state: MaintenanceState): string {
  const w = state.window;
  if (w === null) return 'maintenance: off (no window set)';
  const span = `from ${w.startsAt.toISOString()} ${w.endsAt === null ? 'until switched off' : `until ${w.endsAt.toISOString()}`}`;
  return `maintenance: ${state.active ? 'ON, sales stopped' : 'scheduled'} ${span}: "${w.message}"`;
}

function parseTime(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(at.getTime())) {
    throw new UsageError(`--${name} needs an ISO time with zone, e.g. 2026-12-06T04:00:00+01:00, not "${value}"`);
  }
  return at;
}

/**
 * The maintenance switch from the server's command line (on a machine with the database's credentials).
 * Changes are audited in the operator's chain as made on the command line by this OS user; every server
 * instance picks them up within its cache time (2 s).
 */
export async function runMaintenance(ctx: CliContext, args: string[]): Promise<number> {
  const [sub = '', ...rest] = args;
  if (!['status', 'on', 'off'].includes(sub)) throw new UsageError(`unknown maintenance command "${sub}"\n${MAINTENANCE_USAGE}`);
  const parsed = parseArgs({ args: rest, options: { message: { type: 'string' }, from: { type: 'string' }, until: { type: 'string' } }, strict: true });
  if (sub !== 'on' && Object.keys(parsed.values).length > 0) throw new UsageError(`maintenance ${sub} takes no options`);
  const from = parseTime('from', parsed.values.from);
  const until = parseTime('until', parsed.values.until);
  if (sub === 'on' && (parsed.values.message === undefined || parsed.values.message.trim() === '')) {
    throw new UsageError('maintenance on needs --message TEXT (shown at every station)');
  }
  const db = await ctx.openDb();
  try {
    const service = createMaintenanceService({ knex: db.knex, clock: systemClock, cacheMs: 0 });
    const actor: MaintenanceActor = { kind: 'cli', osUser: userInfo().username };
    if (sub === 'status') {
      ctx.out(describe(await service.current()));
    } else if (sub === 'on') {
      ctx.out(describe(await service.set({ from, until, message: parsed.values.message ?? '' }, actor)));
    } else {
      const result = await service.clear(actor);
      ctx.out(result.cleared ? 'maintenance: off (window removed)' : 'maintenance: was not set');
    }
    return 0;
  } finally {
    await db.close();
  }
}
