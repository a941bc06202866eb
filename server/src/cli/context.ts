import path from 'node:path';
import { loadConfig, type ServerConfig } from '../config.js';
import { openDatabase, type Database } from '../db/database.js';
import { caPaths, type CaPaths } from '../modules/ca/store.js';

/** What most commands need: validated config, the CA's file layout and (on demand) the database. */
export interface CliContext {
  config: ServerConfig;
  ca: CaPaths;
  caPassphrase: string | undefined;
  out: (line: string) => void;
  openDb(): Promise<Database>;
}

export function createCliContext(env: NodeJS.ProcessEnv = process.env, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): CliContext {
  const config = loadConfig({ env });
  const caPassphrase = env['BOXOFFICE_CA_PASSPHRASE'] === '' ? undefined : env['BOXOFFICE_CA_PASSPHRASE'];
  return {
    config,
    ca: caPaths(path.join(config.dataDir, 'pki')),
    caPassphrase,
    out,
    openDb: () =>
      openDatabase({
        url: config.database.url,
        adminUrl: config.database.adminUrl,
        pgliteDir: path.join(config.dataDir, 'pglite'),
        poolMax: config.database.poolMax,
        connectTimeoutMs: config.database.connectTimeoutMs,
        migrate: true,
      }),
  };
}
