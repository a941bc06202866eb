import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, startCliServer } from './cli.js';
import type { TestPki } from './pki.js';

export interface TlsFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/** Writes the test PKI's server certificate, key and CA as the PEM files a server process reads. */
export function writeTlsFiles(dir: string, pki: TestPki): TlsFiles {
  mkdirSync(dir, { recursive: true });
  const files = { certFile: path.join(dir, 'server.cert.pem'), keyFile: path.join(dir, 'server.key.pem'), caFile: path.join(dir, 'ca.cert.pem') };
  writeFileSync(files.certFile, pki.server.certPem);
  writeFileSync(files.keyFile, pki.server.keyPem, { mode: 0o600 });
  writeFileSync(files.caFile, pki.ca.certPem);
  return files;
}

export interface ServerProcess {
  port: number;
  pid: number;
  output(): string;
  /** SIGKILL: no shutdown hook runs, in-flight requests die with the process. */
  kill(): Promise<void>;
  /** SIGTERM: graceful shutdown; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * The real server as an operator runs it (`npm run cli -- start` in production mode) in its own process,
 * on PostgreSQL (`databaseUrl`) or on the embedded PGlite in `dataDir`. Resolves once it listens.
 */
export async function startServerProcess(options: { dataDir: string; tls: TlsFiles; databaseUrl?: string; port?: number; env?: Record<string, string> }): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const server = await startCliServer(
    [],
    {
      NODE_ENV: 'production',
      BOXOFFICE_DATA_DIR: options.dataDir,
      BOXOFFICE_HOST: '127.0.0.1',
      BOXOFFICE_PORT: String(port),
      BOXOFFICE_TLS_CERT_FILE: options.tls.certFile,
      BOXOFFICE_TLS_KEY_FILE: options.tls.keyFile,
      BOXOFFICE_TLS_CA_FILE: options.tls.caFile,
      BOXOFFICE_RENDERER_DIR: path.join(options.dataDir, 'no-renderer'),
      BOXOFFICE_LOG_LEVEL: 'error',
      ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
      ...options.env,
    },
    120_000,
  );
  const { child } = server;
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    port,
    pid: child.pid ?? 0,
    output: server.output,
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await closed;
    },
    async stop() {
      if (gone()) return child.exitCode;
      return server.stop();
    },
  };
}
