import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AUDIT_USAGE, runAudit } from './audit.js';
import { BACKUP_USAGE, runBackup } from './backup.js';
import { MAINTENANCE_USAGE, runMaintenance } from './maintenance.js';
import { runCa, CA_USAGE } from './ca.js';
import { DIRECTORY_USAGE, runDirectory } from './directory.js';
import { createCliContext } from './context.js';
import { INTRUSION_USAGE, runIntrusion } from './intrusion.js';
import { runDemoSeed, runStart } from './start.js';
import { UsageError } from './usage.js';

const USAGE = `usage: npm run cli -- <command>
start [--demo]                          set up (outside production), migrate and serve
migrate                                 apply pending database migrations
demo                                    create demo tenants, users and workstation certificates
${CA_USAGE}
${DIRECTORY_USAGE}
${AUDIT_USAGE}
${BACKUP_USAGE}
${MAINTENANCE_USAGE}
${INTRUSION_USAGE}`;

// Errors that are expected in operation and explained by their message: shown as one line, no stack.
const ONE_LINE_ERRORS = new Set([
  'CONFIG_INVALID',
  'USAGE',
  'CA_EXISTS',
  'CA_MISSING',
  'CA_KEY_LOCKED',
  'DATABASE_UNAVAILABLE',
  'DATABASE_ROLE_UNSAFE',
  'DATA_DIR_LOCKED',
  'LISTEN_FAILED',
  'TENANT_NOT_FOUND',
  'WORKSTATION_NAME_TAKEN',
  'WORKSTATION_NOT_FOUND',
  'WORKSTATION_ALREADY_REVOKED',
  'USER_NOT_FOUND',
  'DIRECTORY_UNAVAILABLE',
  'DIRECTORY_MISCONFIGURED',
  'DIRECTORY_NOT_CONFIGURED',
  'PKCS12_WEAK_PASSPHRASE',
  'NO_OPERATOR',
  'NETWORK_CONFIG_INVALID',
  'PKI_INVALID_INPUT',
  'PKI_VALIDITY_EXCEEDS_CA',
  'PKI_INVALID_PEM',
  'BACKUP_FAILED',
  'BACKUP_ROLE_INSUFFICIENT',
  'BACKUP_MANIFEST_INVALID',
  'BACKUP_CORRUPT',
  'BACKUP_KEY_WRONG',
  'BACKUP_TARGET_NOT_EMPTY',
  'BACKUP_MISMATCH',
  'MAINTENANCE_WINDOW_INVALID',
  'NOT_FOUND',
  'BLOCK_NOT_ACTIVE',
  'ERR_PARSE_ARGS_UNKNOWN_OPTION',
  'ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
  'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
]);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  const ctx = createCliContext();
  switch (command) {
    case 'start': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean', default: false } }, strict: true });
      await runStart(ctx, { demo: values.demo });
      return -1; // keeps running until a signal
    }
    case 'migrate': {
      parseArgs({ args: rest, options: {}, strict: true });
      const db = await ctx.openDb();
      await db.close();
      ctx.out('database schema is up to date');
      return 0;
    }
    case 'demo': {
      parseArgs({ args: rest, options: {}, strict: true });
      const db = await ctx.openDb();
      try {
        await runDemoSeed(ctx, db);
      } finally {
        await db.close();
      }
      return 0;
    }
    case 'ca':
      await runCa(ctx, rest);
      return 0;
    case 'audit':
      return runAudit(ctx, rest);
    case 'directory':
      return runDirectory(ctx, rest);
    case 'backup':
      return runBackup(ctx, rest);
    case 'maintenance':
      return runMaintenance(ctx, rest);
    case 'intrusion':
      return runIntrusion(ctx, rest);
    default:
      throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  }
}

export function reportFatal(error: unknown): number {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && ONE_LINE_ERRORS.has(code)) {
    process.stderr.write(`boxoffice: ${message}\n`);
    return code === 'CONFIG_INVALID' || code === 'NETWORK_CONFIG_INVALID' || code === 'USAGE' || code.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
  process.stderr.write(`boxoffice: unexpected error: ${message.split('\n')[0] ?? ''}\n`);
  if (process.env['BOXOFFICE_DEBUG'] === '1' && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
  return 1;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
if (isEntry) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (error: unknown) => process.exit(reportFatal(error)),
  );
}
