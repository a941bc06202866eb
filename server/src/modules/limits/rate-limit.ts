import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import type { Clock } from '../../clock.js';
import type { ServerConfig } from '../../config.js';
import { AppError } from '../../errors.js';

export type RateLimitSettings = ServerConfig['limits'];

/**
 * Defaults: far above what a counter, a gate or the benchmarks do (a busy gate scans about one ticket a
 * second, the sales benchmark's clients send about two requests a second each), low enough that a
 * runaway or stolen workstation cannot flood the server. Logins cost an scrypt each, hence their own limit.
 */
export const RATE_LIMIT_DEFAULTS: RateLimitSettings = { windowSeconds: 60, perWorkstation: 3000, loginPerWorkstation: 120, heavyPerWorkstation: 60 };

/** Password checks (scrypt): logins and password changes. */
export const LOGIN_ROUTES: ReadonlySet<string> = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/password']);

/** Routes that build large answers or documents (PDF, exports, the full scan list) or parse large bodies. */
export const HEAVY_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/v1/entry-lists/:entryListId/scan-list',
  'GET /api/v1/stock/report',
  'GET /api/v1/stock/report.pdf',
  'GET /api/v1/till/closings/:tillSessionId/report.pdf',
  'GET /api/v1/invoices/:invoiceId/invoice.pdf',
  'GET /api/v1/invoices/:invoiceId/invoice.xml',
  'GET /api/v1/invoices/export/datev.csv',
  'POST /api/v1/payments/imports',
]);

export const RATE_LIMITED = 'RATE_LIMITED';

interface Bucket {
  name: 'api' | 'login' | 'heavy';
  limit: number;
}

/**
 * Per-route limits per workstation in fixed windows (windowSeconds), counted in the table
 * rate_limit_counters with one UPSERT per request, so every server instance counts into the same rows and
 * a workstation cannot multiply its allowance by reaching several instances. Every API request counts
 * against `perWorkstation`; logins and heavy routes also against their own, smaller limit. Fixed windows
 * allow up to twice a limit across a window boundary, which is fine for flood protection.
 *
 * Runs as an onRequest hook right after the client-certificate check (it needs the workstation, and it
 * must come before the session check and the handler, which cost more than the count). Blocking source
 * addresses is the intrusion module's job; this limits what one authenticated workstation may ask for.
 */
export function rateLimitHook(deps: { knex: Knex; clock: Clock; settings: RateLimitSettings; log: FastifyBaseLogger }) {
  const { settings } = deps;
  const windowMs = settings.windowSeconds * 1000;
  let nextPrune = 0;

  function prune(now: number): void {
    if (now < nextPrune) return;
    nextPrune = now + windowMs;
    // Old windows are deleted by whichever instance gets here first; a failure only leaves rows behind.
    deps.knex('rate_limit_counters')
      .where('window_start', '<', new Date(now - 2 * windowMs))
      .delete()
      .catch((error: unknown) => deps.log.warn({ err: error }, 'rate limit counters: pruning failed'));
  }

  return async function rateLimit(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const ws = request.workstation;
    if (ws === undefined) return;
    const route = `${request.method} ${request.routeOptions.url ?? ''}`;
    const buckets: Bucket[] = [];
    if (settings.perWorkstation > 0) buckets.push({ name: 'api', limit: settings.perWorkstation });
    if (settings.loginPerWorkstation > 0 && LOGIN_ROUTES.has(route)) buckets.push({ name: 'login', limit: settings.loginPerWorkstation });
    if (settings.heavyPerWorkstation > 0 && HEAVY_ROUTES.has(route)) buckets.push({ name: 'heavy', limit: settings.heavyPerWorkstation });
    if (buckets.length === 0) return;

    const now = deps.clock.now().getTime();
    const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
    const values = buckets.map(() => '(?, ?, 1)').join(', ');
    const bindings = buckets.flatMap((b) => [`${b.name}:${ws.id}`, windowStart]);
    const { rows } = await deps.knex.raw<{ rows: Array<{ bucket: string; hits: number }> }>(
      `INSERT INTO rate_limit_counters (bucket, window_start, hits) VALUES ${values}
       ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1
       RETURNING bucket, hits`,
      bindings,
    );
    prune(now);
    for (const b of buckets) {
      const hits = rows.find((r) => r.bucket === `${b.name}:${ws.id}`)?.hits ?? 0;
      if (hits > b.limit) {
        const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000));
        request.log.warn({ bucket: b.name, workstationId: ws.id, hits, limit: b.limit }, 'rate limit reached');
        throw new AppError(429, RATE_LIMITED, `Too many requests from this workstation (${b.name === 'api' ? 'all requests' : b.name === 'login' ? 'logins and password changes' : 'reports, exports and downloads'}: at most ${b.limit} per ${settings.windowSeconds} s). Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
      }
    }
  };
}

/** Body limits of routes that take only a few fields (login, password change): far below the default. */
export const SMALL_BODY_ROUTES: ReadonlySet<string> = new Set(['POST /api/v1/auth/login', 'POST /api/v1/auth/password']);
export const SMALL_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * The body limit for a route that does not set its own (the statement import and offline uploads do):
 * small for the password routes, otherwise undefined, i.e. the server's bodyLimitBytes.
 */
export function routeBodyLimit(methods: readonly string[], url: string): number | undefined {
  return methods.some((m) => SMALL_BODY_ROUTES.has(`${m} ${url}`)) ? SMALL_BODY_LIMIT_BYTES : undefined;
}
