import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import { initCa, issueServerCert, loadCa } from '../modules/ca/store.js';
import { inTenant } from '../db/tenant-scope.js';
import { operatorScope } from '../modules/tenants/operator-scope.js';
import { createWorkstationRepository } from '../modules/workstations/repository.js';
import { issueWorkstation, revokeWorkstation, WorkstationError, type IssuedWorkstation } from '../modules/workstations/service.js';
import { setSignInRules } from '../modules/workstations/sign-in-rules.js';
import { AppError } from '../errors.js';
import type { CliContext } from './context.js';
import { UsageError } from './usage.js';

export const CA_USAGE = `ca init [--cn NAME]                      create the platform CA (once)
ca server-cert                          (re)issue the server certificate for BOXOFFICE_SERVER_NAMES
ca issue-workstation --tenant CODE --name NAME [--out DIR] [--validity-days N]
                                        issue a workstation certificate (.p12 + PEM) and register it
ca issue-user --tenant CODE --login LOGIN [--out DIR] [--validity-days N]
                                        issue a person's certificate: they sign in only with it
ca bind SERIAL|ID [--user LOGIN]... [--group DN]...
                                        only these users / directory groups may sign in with the
                                        workstation (no --user/--group: anybody of its tenant again)
ca list [--tenant CODE]                 list workstation and user certificates
ca revoke SERIAL|ID --reason TEXT       revoke a certificate; its sessions end at once`;

export async function runCa(ctx: CliContext, args: string[]): Promise<void> {
  const [sub = '', ...rest] = args;
  const now = systemClock.now();
  switch (sub) {
    case 'init': {
      const { values } = parseArgs({ args: rest, options: { cn: { type: 'string' } }, strict: true });
      await initCa(ctx.ca, { commonName: values.cn ?? 'Box office platform CA', now, passphrase: ctx.caPassphrase });
      ctx.out(`CA created in ${ctx.ca.dir}`);
      const server = await issueServerCert(ctx.ca, loadCa(ctx.ca, ctx.caPassphrase), { names: ctx.config.serverNames, now });
      ctx.out(`server certificate for ${ctx.config.serverNames.join(', ')} (serial ${server.serialHex}, valid until ${server.notAfter.toISOString()})`);
      return;
    }
    case 'server-cert': {
      parseArgs({ args: rest, options: {}, strict: true });
      const server = await issueServerCert(ctx.ca, loadCa(ctx.ca, ctx.caPassphrase), { names: ctx.config.serverNames, now });
      ctx.out(`server certificate for ${ctx.config.serverNames.join(', ')} (serial ${server.serialHex}, valid until ${server.notAfter.toISOString()})`);
      return;
    }
    case 'issue-workstation':
    case 'issue-user': {
      const { values } = parseArgs({
        args: rest,
        options: { tenant: { type: 'string' }, name: { type: 'string' }, login: { type: 'string' }, out: { type: 'string' }, 'validity-days': { type: 'string' } },
        strict: true,
      });
      const forUser = sub === 'issue-user';
      if (forUser ? values.tenant === undefined || values.login === undefined || values.name !== undefined : values.tenant === undefined || values.name === undefined || values.login !== undefined) {
        throw new UsageError(forUser ? 'ca issue-user needs --tenant CODE and --login LOGIN' : 'ca issue-workstation needs --tenant CODE and --name NAME');
      }
      const validityDays = values['validity-days'] === undefined ? undefined : Number(values['validity-days']);
      if (validityDays !== undefined && !(Number.isInteger(validityDays) && validityDays >= 1 && validityDays <= 825)) {
        throw new UsageError('--validity-days must be a whole number from 1 to 825');
      }
      const ca = loadCa(ctx.ca, ctx.caPassphrase);
      const db = await ctx.openDb();
      try {
        const issued = await issueWorkstation(db.knex, ca, await operatorScope(db.knex), {
          tenantCode: values.tenant as string,
          name: values.name ?? '',
          ...(forUser ? { userLogin: values.login as string } : {}),
          now,
          ...(validityDays === undefined ? {} : { validityDays }),
        });
        const files = writeIssuedWorkstation(values.out ?? path.join(ctx.config.dataDir, 'issued'), issued);
        ctx.out(`${forUser ? 'user certificate' : 'workstation'} ${issued.tenantCode}/${issued.workstation.name} registered (id ${issued.workstation.id}, serial ${issued.workstation.cert_serial})`);
        ctx.out(`  .p12: ${files.p12}`);
        ctx.out(`  PEM:  ${files.cert}, ${files.key} (key encrypted), CA: ${files.ca}`);
        ctx.out(`  passphrase (shown once): ${issued.passphrase}`);
      } finally {
        await db.close();
      }
      return;
    }
    case 'list': {
      const { values } = parseArgs({ args: rest, options: { tenant: { type: 'string' } }, strict: true });
      const db = await ctx.openDb();
      try {
        const rows = await inTenant(db.knex, await operatorScope(db.knex), (trx) => createWorkstationRepository().list(trx));
        const shown = values.tenant === undefined ? rows : rows.filter((r) => r.tenant_code === values.tenant);
        ctx.out(['tenant', 'name', 'serial', 'valid until', 'status', 'id', 'kind'].join('\t'));
        for (const r of shown) {
          const status = r.revoked_at !== null ? `revoked ${r.revoked_at.toISOString()} (${r.revoked_reason ?? ''})` : r.cert_not_after < now ? 'expired' : 'active';
          ctx.out([r.tenant_code, r.name, r.cert_serial, r.cert_not_after.toISOString(), status, r.id, r.kind].join('\t'));
        }
      } finally {
        await db.close();
      }
      return;
    }
    case 'bind': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { user: { type: 'string', multiple: true }, group: { type: 'string', multiple: true } },
        allowPositionals: true,
        strict: true,
      });
      const key = positionals[0];
      if (key === undefined || positionals.length !== 1) throw new UsageError('ca bind needs exactly one SERIAL or ID');
      const db = await ctx.openDb();
      try {
        const view = await inTenant(db.knex, await operatorScope(db.knex), async (trx) => {
          const ws = await createWorkstationRepository().findBySerialOrId(trx, key);
          if (ws === undefined) throw new WorkstationError('WORKSTATION_NOT_FOUND', `no workstation with id or serial "${key}"`);
          const logins = (values.user ?? []).map((l) => l.trim().toLowerCase());
          const found = await trx('users').where({ tenant_id: ws.tenant_id }).whereIn('login', logins).select<Array<{ id: string; login: string }>>('id', 'login');
          const missing = logins.filter((l) => !found.some((u) => u.login === l));
          if (missing.length > 0) throw new WorkstationError('USER_NOT_FOUND', `no user ${missing.map((m) => `"${m}"`).join(', ')} in the workstation's tenant`);
          return setSignInRules(trx, { workstationId: ws.id, userIds: found.map((u) => u.id), groupDns: values.group ?? [], actor: null, now });
        });
        ctx.out(view.restricted ? `sign-in limited to ${view.userIds.length} user(s) and ${view.groupDns.length} group(s)${view.groupDns.map((g) => `\n  group ${g}`).join('')}` : 'no sign-in rules: every user of the tenant may sign in');
      } catch (error) {
        // The route's coded errors (user certificate, malformed DN) as one line.
        if (error instanceof AppError) throw new UsageError(error.message);
        throw error;
      } finally {
        await db.close();
      }
      return;
    }
    case 'revoke': {
      const { values, positionals } = parseArgs({ args: rest, options: { reason: { type: 'string' } }, allowPositionals: true, strict: true });
      const key = positionals[0];
      if (key === undefined || positionals.length !== 1) throw new UsageError('ca revoke needs exactly one SERIAL or ID');
      const reason = values.reason?.trim();
      if (reason === undefined || reason.length < 3) throw new UsageError('ca revoke needs --reason TEXT (at least 3 characters)');
      const db = await ctx.openDb();
      try {
        const result = await revokeWorkstation(db.knex, await operatorScope(db.knex), { key, reason, now });
        ctx.out(`revoked ${result.workstation.name} (serial ${result.workstation.cert_serial}); ${result.endedSessions} session(s) ended`);
      } finally {
        await db.close();
      }
      return;
    }
    default:
      throw new UsageError(`unknown ca command "${sub}"\n${CA_USAGE}`);
  }
}

export function writeIssuedWorkstation(dir: string, issued: IssuedWorkstation): { p12: string; cert: string; key: string; ca: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const base = path.join(dir, `${issued.tenantCode}-${issued.workstation.name.replace(/[^A-Za-z0-9._-]/g, '_')}-${issued.workstation.cert_serial.slice(0, 8)}`);
  const files = { p12: `${base}.p12`, cert: `${base}.cert.pem`, key: `${base}.key.pem`, ca: path.join(dir, 'ca.cert.pem') };
  writeFileSync(files.p12, issued.p12, { mode: 0o600 });
  writeFileSync(files.cert, issued.certPem, { mode: 0o644 });
  writeFileSync(files.key, issued.encryptedKeyPem, { mode: 0o600 });
  writeFileSync(files.ca, issued.caCertPem, { mode: 0o644 });
  return files;
}
