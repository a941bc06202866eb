/**
 * The station's one generic API channel: the renderer asks main to send a request to the backend with
 * the workstation certificate and the session token, which never leave main. Main sends only what
 * matches API_ROUTE_ALLOW_LIST (method + path template), so a compromised page cannot reach identity,
 * CA or admin routes the screens do not use; the server checks rights on top of that. Login, logout
 * and password change keep their own channels (area `auth`).
 */
import { Type, type Static } from 'typebox';

/** A path segment that is a UUID; the only kind of parameter the allowed routes have. */
const UUID_SEGMENT = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

export const ApiMethod = Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH'), Type.Literal('DELETE')]);
export type ApiMethod = Static<typeof ApiMethod>;

export const ApiRequestArgs = Type.Object(
  {
    method: ApiMethod,
    path: Type.String({ minLength: 1, maxLength: 300, pattern: '^/api/v1/[A-Za-z0-9/._-]*$' }),
    query: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,40}$' }), Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean()]), {
        maxProperties: 20,
      }),
    ),
    body: Type.Optional(Type.Unknown()),
    /** Writes only: main adds an Idempotency-Key, the same on each of its retries. */
    idempotent: Type.Optional(Type.Boolean()),
    /** false for answers without a body (204). */
    expectBody: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ApiRequestArgs = Static<typeof ApiRequestArgs>;

/**
 * The routes the screens use, `:id` standing for a UUID segment. A screen that needs another route adds
 * it here (one line) — the server still checks the session's rights.
 */
export const API_ROUTE_ALLOW_LIST: ReadonlyArray<readonly [ApiMethod, string]> = [
  ['GET', '/api/v1/events'],
  ['GET', '/api/v1/events/:id'],
  ['GET', '/api/v1/events/:id/seatmap'],
  ['GET', '/api/v1/orders'],
  ['POST', '/api/v1/orders'],
  ['GET', '/api/v1/orders/:id'],
  ['POST', '/api/v1/orders/:id/cancel'],
  ['GET', '/api/v1/orders/:id/prints'],
  ['GET', '/api/v1/orders/:id/reprints'],
  ['GET', '/api/v1/tickets/by-barcode/:code'],
  ['POST', '/api/v1/holds'],
  ['DELETE', '/api/v1/holds/:id'],
  ['GET', '/api/v1/printing/tray'],
  ['PUT', '/api/v1/printing/tray'],
  ['GET', '/api/v1/print-jobs/pending'],
  ['GET', '/api/v1/print-jobs/:id'],
  ['GET', '/api/v1/till/current'],
  ['POST', '/api/v1/till/open'],
  ['POST', '/api/v1/till/close'],
  ['GET', '/api/v1/till/closings'],
  ['GET', '/api/v1/till/closings/:id'],
  ['GET', '/api/v1/entry-lists/:id/stats'],
  ['POST', '/api/v1/print-jobs/:id/spoil'],
  ['GET', '/api/v1/stock/report'],
];

function templateToRegExp(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => {
      if (segment === ':id') return UUID_SEGMENT;
      // Barcodes are digits only (src/shared/barcode.ts).
      if (segment === ':code') return '[0-9]{1,40}';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

const COMPILED = API_ROUTE_ALLOW_LIST.map(([method, template]) => ({ method, pattern: templateToRegExp(template) }));

export function isAllowedApiRoute(method: ApiMethod, path: string): boolean {
  return COMPILED.some((route) => route.method === method && route.pattern.test(path));
}

export const API_IPC = {
  request: { args: ApiRequestArgs, result: Type.Unknown() },
} as const;
