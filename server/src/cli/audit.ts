import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { canonicalJson } from '../modules/audit/chain.js';
import { auditRows, verifyAllChains, verifyChain } from '../modules/audit/verify.js';
import { operatorScope } from '../modules/tenants/operator-scope.js';
import { inTenant } from '../db/tenant-scope.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage.js';

export const AUDIT_USAGE = `audit verify [--tenant CODE]            recompute every hash chain; exit 1 at the first broken row
audit export --tenant CODE [--out FILE] the tenant's audit log as JSON lines, last line the head hash`;

export async function runAudit(ctx: CliContext, args: string[]): Promise<number> {
  const [sub = '', ...rest] = args;
  switch (sub) {
    case 'verify': {
      const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' } }, strict: true });
      const db = await ctx.openDb();
      try {
        const reports = await verifyAllChains(db.knex, await operatorScope(db.knex), values.tenant);
        if (values.tenant !== undefined && reports.length === 0) throw new UsageError(`no tenant with code "${values.tenant}"`);
        let broken = 0;
        for (const r of reports) {
          if (r.ok) ctx.out(`${r.tenantCode}: ok, ${r.rows} rows, head ${r.headHash}`);
          else {
            broken += 1;
            ctx.out(`${r.tenantCode}: BROKEN at seq ${r.firstBroken?.seq ?? '?'} (${r.firstBroken?.reason ?? '?'}) after ${r.rows - 1} valid rows`);
          }
        }
        return broken === 0 ? 0 : 1;
      } finally {
        await db.close();
      }
    }
    case 'export': {
      const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' }, out: { type: 'string' } }, strict: true });
      if (values.tenant === undefined) throw new UsageError('audit export needs --tenant CODE');
      const db = await ctx.openDb();
      try {
        const scope = await operatorScope(db.knex);
        const tenant = await inTenant(db.knex, scope, (trx) => trx('tenants').where({ code: values.tenant }).first<{ id: string; code: string } | undefined>('id', 'code'));
        if (tenant === undefined) throw new UsageError(`no tenant with code "${values.tenant}"`);
        const report = await verifyChain(db.knex, scope, tenant);
        const stream = values.out === undefined ? process.stdout : createWriteStream(values.out, { mode: 0o600 });
        const write = async (line: string) => {
          if (!stream.write(`${line}\n`)) await once(stream, 'drain');
        };
        for await (const r of auditRows(db.knex, scope, tenant.id)) {
          await write(canonicalJson({ ...r, at: r.at.toISOString() }));
        }
        await write(canonicalJson({ tenant: tenant.code, rows: report.rows, head: report.headHash, verified: report.ok }));
        if (stream !== process.stdout) {
          stream.end();
          await once(stream, 'finish');
        }
        return report.ok ? 0 : 1;
      } finally {
        await db.close();
      }
    }
    default:
      throw new UsageError(`unknown audit command "${sub}"\n${AUDIT_USAGE}`);
  }
}
