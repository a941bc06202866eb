import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { registerAjvFormats, TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { ErrorCode } from '../../src/shared/api/problem.js';
import type { Clock } from './clock.js';
import type { ServerConfig } from './config.js';
import type { Database } from './db/database.js';
import { loggerOptions } from './logger.js';
import { createWorkstationRepository } from './modules/workstations/repository.js';
import { healthRoutes, whoAmIRoutes } from './modules/system/routes.js';
import { auditRoutes } from './modules/audit/routes.js';
import { entryRoutes } from './modules/entry/routes.js';
import { eventRoutes } from './modules/events/routes.js';
import { createAuthService } from './modules/identity/auth-service.js';
import { createPasswordPolicy, type PasswordPolicy } from './modules/identity/password-policy.js';
import { authRoutes } from './modules/identity/routes.js';
import { usersRoutes } from './modules/identity/users-routes.js';
import { createUsersService } from './modules/identity/users-service.js';
import { INTRUSION_CONFIG_DEFAULTS, type IntrusionConfig } from './modules/intrusion/config.js';
import { intrusionRoutes } from './modules/intrusion/routes.js';
import { createIntrusionService } from './modules/intrusion/service.js';
import { registerNetworkProtection } from './modules/network/guard.js';
import { createNetworkPolicy, type NetworkPolicy } from './modules/network/policy.js';
import { salesRoutes } from './modules/sales/routes.js';
import { printingRoutes } from './modules/printing/routes.js';
import type { PrintingSettings } from './modules/printing/settings.js';
import { createSalesService, type SalesSettings } from './modules/sales/service.js';
import { tenantRoutes } from './modules/tenants/routes.js';
import { tillRoutes } from './modules/till/routes.js';
import { invoicingRoutes } from './modules/invoicing/routes.js';
import { directoryRoutes } from './modules/directory/routes.js';
import { directoryKeyFromEnv } from './modules/directory/secret.js';
import { createDirectoryService } from './modules/directory/service.js';
import { signInRuleRoutes } from './modules/workstations/sign-in-rule-routes.js';
import { RATE_LIMIT_DEFAULTS, rateLimitHook, routeBodyLimit } from './modules/limits/rate-limit.js';
import { maintenanceGuard } from './modules/maintenance/guard.js';
import { maintenanceRoutes } from './modules/maintenance/routes.js';
import { createMaintenanceService } from './modules/maintenance/service.js';
import { workstationRoutes } from './modules/workstations/routes.js';
import { requireWorkstation } from './plugins/client-cert.js';
import { requireAuthDeclaration, sessionAuthHook, workstationOnly, type RouteAuth } from './plugins/session-auth.js';
import { registerErrorHandling, sendProblem } from './plugins/errors.js';
import { registerIntrusionGuard } from './plugins/intrusion-guard.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerTextInputCheck } from './plugins/text-input.js';
import { serverTlsOptions, type TlsMaterial } from './tls.js';

export interface AppDeps {
  config: Pick<ServerConfig, 'logLevel' | 'bodyLimitBytes' | 'requestTimeoutMs' | 'rendererDir' | 'sessions'> &
    Partial<Pick<ServerConfig, 'limits' | 'headersTimeoutMs' | 'keepAliveTimeoutMs' | 'connectionTimeoutMs'>>;
  db: Database;
  clock: Clock;
  /** Without TLS material the app serves plain HTTP, which only `app.inject` tests use; the API then refuses every request. */
  tls?: TlsMaterial;
  logger?: Logger;
  /** Defaults to the shipped rules and common-password list. */
  passwordPolicy?: PasswordPolicy;
  /** Connection and forwarded-source rules; without it nothing is filtered (client address = socket peer). */
  network?: NetworkPolicy;
  /** Sales limits (tickets per order, hold minutes, lock timeout); defaults otherwise. */
  sales?: Partial<SalesSettings>;
  /** Printing: time zone of ticket faces and reports, when a pending print counts as unresolved, lock timeout, random source. */
  printing?: Partial<PrintingSettings>;
  /** Intrusion prevention settings (thresholds, block durations, allow list); the defaults otherwise. */
  intrusion?: Partial<IntrusionConfig>;
  /** How long each process may use the maintenance switch it read last (default 2 s). */
  maintenanceCacheMs?: number;
  /** Tests replace the password check to prove when it is (not) reached. */
  verifyPassword?: (password: string, hash: string) => Promise<boolean>;
  /** Seals the directory service accounts' passwords; defaults to BOXOFFICE_DIRECTORY_KEY from the environment. */
  directoryKey?: Buffer | undefined;
}

export type App = FastifyInstance;

export interface RouteEntry {
  method: string;
  url: string;
  auth: RouteAuth | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered route with its auth declaration (tests generate checks over it). */
    routeTable: RouteEntry[];
    /** Shutdown has begun: readiness answers 503 from now on, requests are still served (server.ts). */
    startDraining(): void;
  }
}

/** Builds the whole HTTP application without listening, so tests can inject requests or bind any port. */
export async function buildApp(deps: AppDeps): Promise<App> {
  registerAjvFormats();
  let shuttingDown = false;
  const base = {
    bodyLimit: deps.config.bodyLimitBytes,
    requestTimeout: deps.config.requestTimeoutMs,
    connectionTimeout: deps.config.connectionTimeoutMs ?? 120_000,
    keepAliveTimeout: deps.config.keepAliveTimeoutMs ?? 65_000,
    return503OnClosing: true,
    genReqId: () => randomUUID(),
    ...(deps.logger !== undefined ? { loggerInstance: deps.logger } : { logger: loggerOptions(deps.config.logLevel) }),
  };
  const app = (
    // Node checks the headers and request timeouts of open connections every connectionsCheckingInterval
    // (30 s by default); once a second makes a slow-loris connection close close to headersTimeout.
    deps.tls !== undefined ? Fastify({ ...base, https: { ...serverTlsOptions(deps.tls), connectionsCheckingInterval: 1000 } }) : Fastify(base)
  ).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  // Slow-loris: the headers must be complete within this time (Node's default is a minute).
  app.server.headersTimeout = Math.min(deps.config.headersTimeoutMs ?? 10_000, deps.config.requestTimeoutMs);
  app.decorate('startDraining', () => {
    shuttingDown = true;
  });
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD') continue;
      routeTable.push({ method, url: route.url, auth: (route.config as { auth?: RouteAuth } | undefined)?.auth });
    }
    const bodyLimit = route.bodyLimit ?? routeBodyLimit(methods, route.url);
    if (bodyLimit !== undefined) route.bodyLimit = bodyLimit;
  });
  // The API speaks JSON only; anything else is refused with 415 before a handler sees it.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // Closes denied connections before TLS and sets request.clientAddress (after the header hook, so a
  // refusal still carries the request id).
  const network = deps.network ?? createNetworkPolicy();
  registerNetworkProtection(app, network);
  // Blocked sources are refused right after the client address is known, before certificates and routing.
  const intrusion = createIntrusionService({
    knex: deps.db.knex,
    clock: deps.clock,
    settings: { ...INTRUSION_CONFIG_DEFAULTS, ...deps.intrusion },
    isTrustedProxy: (address) => network.isTrustedProxy(address),
    log: app.log,
  });
  registerIntrusionGuard(app, intrusion);
  app.addHook('onClose', async () => {
    shuttingDown = true;
  });
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });

  registerErrorHandling(app);
  registerSecurityHeaders(app);
  registerTextInputCheck(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Box office API', version: '1' },
      components: {},
    },
  });

  await app.register(healthRoutes, { db: deps.db, isShuttingDown: () => shuttingDown });

  const workstations = createWorkstationRepository();
  const directory = createDirectoryService({ knex: deps.db.knex, clock: deps.clock, key: deps.directoryKey ?? directoryKeyFromEnv(process.env) });
  const auth = createAuthService({
    directory,
    knex: deps.db.knex,
    clock: deps.clock,
    passwordPolicy: deps.passwordPolicy ?? createPasswordPolicy(),
    sessions: { absoluteMs: deps.config.sessions.absoluteHours * 3600_000, idleMs: deps.config.sessions.idleMinutes * 60_000 },
    ...(deps.verifyPassword === undefined ? {} : { verifyPassword: deps.verifyPassword }),
  });
  const users = createUsersService({ knex: deps.db.knex, clock: deps.clock, auth });
  const maintenance = createMaintenanceService({ knex: deps.db.knex, clock: deps.clock, ...(deps.maintenanceCacheMs === undefined ? {} : { cacheMs: deps.maintenanceCacheMs }) });
  await app.register(
    async (api) => {
      requireAuthDeclaration(api);
      const clientCert = requireWorkstation({ knex: deps.db.knex, workstations, clock: deps.clock });
      api.addHook('onRequest', clientCert);
      api.addHook('onRequest', rateLimitHook({ knex: deps.db.knex, clock: deps.clock, settings: deps.config.limits ?? RATE_LIMIT_DEFAULTS, log: app.log }));
      api.addHook('onRequest', sessionAuthHook(auth));
      api.addHook('onRequest', maintenanceGuard(maintenance, deps.clock));
      api.addHook('onSend', async (_request, reply) => {
        void reply.header('cache-control', 'no-store');
      });
      // Unknown API paths demand the certificate too, so that nobody can map the API without one.
      api.setNotFoundHandler({ preHandler: clientCert }, (request, reply) =>
        sendProblem(reply, request, { status: 404, code: ErrorCode.notFound, detail: `No route for ${request.method} ${request.url.split('?')[0] ?? ''}` }),
      );
      api.get('/openapi.json', { config: workstationOnly(), schema: { hide: true } }, async () => app.swagger());
      await api.register(whoAmIRoutes);
      await api.register(maintenanceRoutes, { maintenance, clock: deps.clock });
      await api.register(authRoutes, { auth });
      await api.register(usersRoutes, { users, auth, knex: deps.db.knex, clock: deps.clock });
      await api.register(workstationRoutes, { knex: deps.db.knex, clock: deps.clock });
      await api.register(signInRuleRoutes, { knex: deps.db.knex, clock: deps.clock });
      await api.register(directoryRoutes, { directory });
      await api.register(auditRoutes, { knex: deps.db.knex, clock: deps.clock });
      await api.register(tenantRoutes, { knex: deps.db.knex, clock: deps.clock });
      await api.register(eventRoutes, { knex: deps.db.knex, clock: deps.clock });
      await api.register(tillRoutes, { knex: deps.db.knex, clock: deps.clock });
      await api.register(entryRoutes, { knex: deps.db.knex, clock: deps.clock });
      await api.register(invoicingRoutes, { knex: deps.db.knex, clock: deps.clock });
      await api.register(salesRoutes, { sales: createSalesService({ knex: deps.db.knex, clock: deps.clock, ...(deps.sales === undefined ? {} : { settings: deps.sales }) }), knex: deps.db.knex });
      await api.register(printingRoutes, { knex: deps.db.knex, clock: deps.clock, ...(deps.printing === undefined ? {} : { settings: deps.printing }) });
      await api.register(intrusionRoutes, { intrusion, clock: deps.clock });
    },
    { prefix: '/api' },
  );

  if (existsSync(deps.config.rendererDir)) {
    await app.register(fastifyStatic, { root: deps.config.rendererDir, prefix: '/app/', index: 'index.html', decorateReply: false });
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'));
  } else {
    app.log.warn({ rendererDir: deps.config.rendererDir }, 'renderer not built; /app/ is unavailable (npm run build:renderer)');
  }

  return app;
}
