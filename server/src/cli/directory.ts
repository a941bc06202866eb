import { parseArgs } from 'node:util';
import { inTenant } from '../db/tenant-scope.js';
import { systemClock } from '../clock.js';
import { directoryKeyFromEnv } from '../modules/directory/secret.js';
import { createDirectoryService } from '../modules/directory/service.js';
import { operatorScope } from '../modules/tenants/operator-scope.js';
import { WorkstationError } from '../modules/workstations/service.js';
import type { CliContext } from './context.js';
import { parseInterval } from '../backup/retention.js';
import { UsageError } from './usage.js';

export const DIRECTORY_USAGE = `directory sync [--tenant CODE] [--every N(s|m|h|d)]
                                        compare directory users with the directory (all tenants with
                                        a directory, or one); --every repeats it in the foreground`;

/**
 * The periodic sync: disables local directory users whom the directory disabled, deleted or dropped from
 * every mapped group, and updates everybody's rights. Needs BOXOFFICE_DIRECTORY_KEY like the server.
 */
export async function runDirectory(ctx: CliContext, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [sub = '', ...rest] = args;
  if (sub !== 'sync') throw new UsageError(`unknown directory command "${sub}"\n${DIRECTORY_USAGE}`);
  const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' }, every: { type: 'string' } }, strict: true });
  const everyMs = values.every === undefined ? undefined : parseInterval(values.every);
  if (values.every !== undefined && everyMs === undefined) throw new UsageError('--every needs N(s|m|h|d), e.g. --every 15m');
  const key = directoryKeyFromEnv(env);
  const db = await ctx.openDb();
  try {
    const directory = createDirectoryService({ knex: db.knex, clock: systemClock, key });
    const once = async (): Promise<boolean> => {
      const tenants = await inTenant(db.knex, await operatorScope(db.knex), (trx) =>
        trx('tenants as t')
          .join('directory_configs as d', 'd.tenant_id', 't.id')
          .modify((q) => {
            if (values.tenant !== undefined) void q.where('t.code', values.tenant);
            else void q.where('d.enabled', true);
          })
          .orderBy('t.code')
          .select<Array<{ id: string; code: string }>>('t.id', 't.code'),
      );
      if (values.tenant !== undefined && tenants.length === 0) throw new WorkstationError('TENANT_NOT_FOUND', `no tenant "${values.tenant}" with a directory configured`);
      let ok = true;
      for (const tenant of tenants) {
        try {
          const r = await directory.sync(tenant.id);
          ctx.out(`${tenant.code}: ${r.checked} checked, ${r.disabled} disabled, ${r.enabled} enabled, ${r.rightsChanged} with changed rights`);
        } catch (error) {
          const code = (error as { code?: unknown }).code;
          if (typeof code !== 'string' || !code.startsWith('DIRECTORY_')) throw error;
          // One tenant's unreachable directory does not stop the others; the exit code reports it.
          ok = false;
          process.stderr.write(`boxoffice: ${tenant.code}: ${code}: ${(error as Error).message}\n`);
        }
      }
      return ok;
    };
    if (everyMs === undefined) return (await once()) ? 0 : 1;
    ctx.out(`directory sync: every ${Math.round(everyMs / 1000)} s`);
    let stop = false;
    const onSignal = () => {
      stop = true;
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    while (!stop) {
      await once();
      const until = Date.now() + everyMs;
      while (!stop && Date.now() < until) await new Promise((r) => setTimeout(r, Math.min(1000, until - Date.now())));
    }
    return 0;
  } finally {
    await db.close();
  }
}
