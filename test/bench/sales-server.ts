import { pathToFileURL } from 'node:url';
import { buildApp, type App, type AppDeps } from '../../server/src/app.js';
import { systemClock } from '../../server/src/clock.js';
import { openDatabase, type Database } from '../../server/src/db/database.js';

/**
 * The box-office server as the sales benchmark runs it: the real app (buildApp) on a loopback port with
 * mutual TLS, on an already migrated PostgreSQL database. Runs in-process or, as a child process
 * (`node --import tsx test/bench/sales-server.ts`, driven over the IPC channel), so that the load
 * generator does not share the server's event loop.
 */
export interface BenchServerOptions {
  url: string;
  poolMax: number;
  tls: { cert: string; key: string; ca: string };
  logLevel?: AppDeps['config']['logLevel'];
  /** false switches the per-workstation rate limits off (to measure what they cost); the defaults otherwise. */
  rateLimits?: boolean;
}

export interface BenchServer {
  port: number;
  close(): Promise<void>;
}

export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  const db: Database = await openDatabase({ url: options.url, migrate: false, poolMax: options.poolMax });
  let app: App;
  try {
    app = await buildApp({
      config: {
        logLevel: options.logLevel ?? 'error',
        bodyLimitBytes: 256 * 1024,
        requestTimeoutMs: 30_000,
        rendererDir: '/nonexistent',
        sessions: { absoluteHours: 8, idleMinutes: 60 },
        ...(options.rateLimits === false ? { limits: { windowSeconds: 60, perWorkstation: 0, loginPerWorkstation: 0, heavyPerWorkstation: 0 } } : {}),
      },
      db,
      clock: systemClock,
      tls: options.tls,
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await db.close();
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return {
    port: address.port,
    async close() {
      try {
        await app.close();
      } finally {
        await db.close();
      }
    },
  };
}

/** Messages between the benchmark and its server child. */
export type ToServer = { type: 'start'; options: BenchServerOptions } | { type: 'stop' };
export type FromServer = { type: 'listening'; port: number } | { type: 'failed'; message: string } | { type: 'stopped' };

async function childMain(): Promise<void> {
  const send = (message: FromServer) => process.send?.(message);
  let server: BenchServer | undefined;
  // Never outlive the benchmark: when it goes away (even killed), so does the server.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ToServer) => {
    if (message.type === 'start') {
      startBenchServer(message.options).then(
        (s) => {
          server = s;
          send({ type: 'listening', port: s.port });
        },
        (error: unknown) => {
          send({ type: 'failed', message: (error as Error).message ?? String(error) });
          process.exit(1);
        },
      );
    } else {
      void (server?.close() ?? Promise.resolve())
        .catch((error: unknown) => console.error(`bench server: close failed: ${(error as Error).message}`))
        .finally(() => {
          send({ type: 'stopped' });
          // Exiting normally lets --cpu-prof write its profile.
          process.exit(0);
        });
    }
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.send !== undefined) {
  void childMain();
}
