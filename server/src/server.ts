import { buildApp, type App } from './app.js';
import type { Clock } from './clock.js';
import type { ServerConfig } from './config.js';
import type { Database } from './db/database.js';
import { loadNetworkPolicy } from './modules/network/config.js';
import type { NetworkPolicy } from './modules/network/policy.js';
import { loadTlsMaterial } from './tls.js';

export interface RunningServer {
  app: App;
  url: string;
  close(): Promise<void>;
}

export class ListenError extends Error {
  readonly code = 'LISTEN_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ListenError';
  }
}

/** Builds the app with the configured certificates and listens. The caller owns the database. */
export async function startServer(deps: { config: ServerConfig; db: Database; clock: Clock; network?: NetworkPolicy }): Promise<RunningServer> {
  const tls = loadTlsMaterial(deps.config.tls);
  const network = deps.network ?? loadNetworkPolicy(deps.config.network);
  const app = await buildApp({ config: deps.config, db: deps.db, clock: deps.clock, tls, network, printing: deps.config.printing, intrusion: deps.config.intrusion });
  try {
    await app.listen({ host: deps.config.host, port: deps.config.port });
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${deps.config.host}:${deps.config.port}`;
    if (code === 'EADDRINUSE') throw new ListenError(`port ${deps.config.port} on ${deps.config.host} is already in use`, { cause: error });
    if (code === 'EACCES') throw new ListenError(`no permission to listen on ${where}`, { cause: error });
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new ListenError(`address ${deps.config.host} is not available on this machine`, { cause: error });
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : deps.config.port;
  const host = deps.config.host === '0.0.0.0' || deps.config.host === '::' ? 'localhost' : deps.config.host;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { app, url, close: () => app.close() };
}

export interface ShutdownOptions {
  /** Readiness answers 503 for this long before the listener closes, while requests are still served. */
  drainMs: number;
  /** After the drain: time in-flight requests (and a job in progress) get before the process exits anyway. */
  graceMs: number;
  /** Stops background jobs (the backup runner); awaited before the database closes. */
  stopJobs?: () => Promise<void>;
}

/**
 * SIGTERM/SIGINT, in this order: readiness turns 503 at once (load balancers stop sending new requests)
 * while everything is still served for drainMs; background jobs stop starting new runs; then the listener
 * closes, new requests on open connections get 503 and idle connections close, in-flight requests finish;
 * then the database closes and the process exits 0. A second signal or the grace period forces exit 1.
 */
export function installShutdown(server: RunningServer, db: Database, options: ShutdownOptions, log: (line: string) => void): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${signal} received: readiness off, draining for ${options.drainMs} ms, then closing`);
    server.app.startDraining();
    const timer = setTimeout(() => {
      log(`shutdown took longer than ${options.drainMs + options.graceMs} ms, exiting`);
      process.exit(1);
    }, options.drainMs + options.graceMs);
    timer.unref();
    const jobs = options.stopJobs?.() ?? Promise.resolve();
    new Promise<void>((resolve) => setTimeout(resolve, options.drainMs))
      .then(() => server.close())
      .then(() => jobs)
      .then(() => db.close())
      .then(
        () => {
          log('shut down');
          process.exit(0);
        },
        (error: unknown) => {
          log(`shutdown failed: ${(error as Error).message}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
