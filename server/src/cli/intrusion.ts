import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import type { BlockRow } from '../modules/intrusion/repository.js';
import { createIntrusionService } from '../modules/intrusion/service.js';
import { createNetworkPolicy } from '../modules/network/policy.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage.js';

export const INTRUSION_USAGE = `intrusion list [--all] [--source ADDRESS] blocked source addresses (with --all also ended ones)
intrusion lift BLOCK_ID --reason TEXT    lift a block now (every server instance within seconds)`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function line(row: BlockRow, now: Date): string {
  const state = row.lifted_at !== null ? `lifted ${row.lifted_at.toISOString()}` : row.blocked_until.getTime() > now.getTime() ? 'ACTIVE' : 'ended';
  const counts = Object.entries(row.signals.counts)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  return `${row.id}  ${row.source}  ${state}  ${row.trigger} (level ${row.level}; ${counts})  ${row.blocked_at.toISOString()} – ${row.blocked_until.toISOString()}`;
}

/**
 * Intrusion prevention from the server's command line: the way back in when the operator's own address
 * is blocked and the API cannot be reached from it. A lift here is audited on the operator's chain as
 * made on the command line by this OS user.
 */
export async function runIntrusion(ctx: CliContext, args: string[]): Promise<number> {
  const [sub = '', ...rest] = args;
  if (sub !== 'list' && sub !== 'lift') throw new UsageError(`unknown intrusion command "${sub}"\n${INTRUSION_USAGE}`);
  const parsed = parseArgs({ args: rest, allowPositionals: sub === 'lift', options: { all: { type: 'boolean', default: false }, source: { type: 'string' }, reason: { type: 'string' } }, strict: true });
  const reason = parsed.values.reason?.trim() ?? '';
  const id = parsed.positionals[0] ?? '';
  if (sub === 'lift') {
    if (parsed.positionals.length !== 1 || !UUID.test(id)) throw new UsageError('intrusion lift needs exactly one block id (see "intrusion list")');
    if (reason.length < 3 || reason.length > 500) throw new UsageError('intrusion lift needs --reason TEXT (3 to 500 characters)');
  }
  const db = await ctx.openDb();
  try {
    const network = createNetworkPolicy({ trustedProxies: ctx.config.network.trustedProxies });
    const service = createIntrusionService({
      knex: db.knex,
      clock: systemClock,
      settings: ctx.config.intrusion,
      isTrustedProxy: (address) => network.isTrustedProxy(address),
      log: { warn: () => undefined, error: () => undefined },
    });
    const now = systemClock.now();
    if (sub === 'list') {
      const rows = await service.listBlocks({ active: !parsed.values.all, ...(parsed.values.source === undefined ? {} : { source: parsed.values.source }), limit: 1000 });
      if (rows.length === 0) ctx.out(parsed.values.all ? 'no blocks' : 'no active blocks');
      for (const row of rows) ctx.out(line(row, now));
    } else {
      const row = await service.lift({ kind: 'cli', osUser: userInfo().username }, id, reason);
      ctx.out(`lifted: ${line(row, now)}`);
    }
    return 0;
  } finally {
    await db.close();
  }
}
