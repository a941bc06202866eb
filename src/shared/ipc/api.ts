/**
 * The station's one generic API channel: the renderer asks main to send a request to the backend with
 * the workstation certificate and the session token, which never leave main. Main sends only what
 * matches API_ROUTE_ALLOW_LIST (method + path template), so a compromised page cannot reach CA
 * or other routes the screens do not use; the server checks rights on top of that. Login,
 * logout and password change keep their own channels (area `auth`). test/unit/renderer/shell/
 * station-allow-list.test.ts calls every screen API and fails on a route missing here.
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
  // The shell's maintenance banner.
  ['GET', '/api/v1/system/status'],
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
  // Back office (invoicing, admin, audit): the station serves back-office clerks too (DESIGN.md 1).
  ['GET', '/api/v1/invoices'],
  ['GET', '/api/v1/invoices/invoiceable-orders'],
  ['GET', '/api/v1/invoices/open-items'],
  ['GET', '/api/v1/invoices/:id'],
  ['DELETE', '/api/v1/invoices/:id'],
  ['POST', '/api/v1/invoices/business-orders'],
  ['POST', '/api/v1/invoices/outlet-settlements'],
  ['POST', '/api/v1/invoices/promoter-settlements'],
  ['POST', '/api/v1/invoices/:id/issue'],
  ['POST', '/api/v1/invoices/:id/cancel'],
  ['GET', '/api/v1/payments'],
  ['POST', '/api/v1/payments'],
  ['POST', '/api/v1/payments/imports'],
  ['POST', '/api/v1/payments/:id/assign'],
  ['POST', '/api/v1/payments/:id/discard'],
  ['GET', '/api/v1/billing-profile'],
  ['PUT', '/api/v1/billing-profile'],
  ['GET', '/api/v1/users'],
  ['POST', '/api/v1/users'],
  ['PUT', '/api/v1/users/:id/permissions'],
  ['POST', '/api/v1/users/:id/disable'],
  ['POST', '/api/v1/users/:id/enable'],
  ['POST', '/api/v1/users/:id/unlock'],
  ['POST', '/api/v1/users/:id/reset-password'],
  ['GET', '/api/v1/sessions'],
  ['POST', '/api/v1/sessions/:id/end'],
  ['GET', '/api/v1/workstations'],
  ['POST', '/api/v1/workstations/:id/revoke'],
  ['GET', '/api/v1/venues'],
  ['POST', '/api/v1/venues'],
  ['POST', '/api/v1/events'],
  ['POST', '/api/v1/events/:id/status'],
  ['POST', '/api/v1/events/:id/categories'],
  ['POST', '/api/v1/events/:id/categories/:id/variants'],
  ['POST', '/api/v1/events/:id/seats'],
  ['GET', '/api/v1/events/:id/outlets'],
  ['GET', '/api/v1/events/:id/sales-rights'],
  ['PUT', '/api/v1/events/:id/sales-rights/:id'],
  ['DELETE', '/api/v1/events/:id/sales-rights/:id'],
  ['GET', '/api/v1/events/:id/sales-stats'],
  ['GET', '/api/v1/audit'],
  ['GET', '/api/v1/audit/verify'],
  // Operator staff (intrusion.manage): blocked sources, one block with its signals, lifting it.
  ['GET', '/api/v1/intrusion/blocks'],
  ['GET', '/api/v1/intrusion/blocks/:id'],
  ['POST', '/api/v1/intrusion/blocks/:id/lift'],
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
