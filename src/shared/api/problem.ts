import { Type, type Static } from 'typebox';

/**
 * Stable error codes carried by every HTTP problem response. Clients branch on `code`, never on
 * `title` or `detail`, so texts may change while codes stay.
 */
export const ErrorCode = {
  validationFailed: 'VALIDATION_FAILED',
  notFound: 'NOT_FOUND',
  methodNotAllowed: 'METHOD_NOT_ALLOWED',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
  clientCertRequired: 'CLIENT_CERT_REQUIRED',
  clientCertUntrusted: 'CLIENT_CERT_UNTRUSTED',
  clientCertWrongUsage: 'CLIENT_CERT_WRONG_USAGE',
  workstationUnknown: 'WORKSTATION_UNKNOWN',
  workstationRevoked: 'WORKSTATION_REVOKED',
  tooManyRequests: 'TOO_MANY_REQUESTS',
  sourceDenied: 'SOURCE_DENIED',
  // Intrusion prevention: the source address is blocked for a while (Retry-After), or a block already ended.
  sourceBlocked: 'SOURCE_BLOCKED',
  blockNotActive: 'BLOCK_NOT_ACTIVE',
  databaseUnavailable: 'DATABASE_UNAVAILABLE',
  internal: 'INTERNAL',
  // Directory (LDAP / Active Directory) sign-in: never a fallback to a weaker check.
  directoryUnavailable: 'DIRECTORY_UNAVAILABLE',
  directoryMisconfigured: 'DIRECTORY_MISCONFIGURED',
  directoryNotConfigured: 'DIRECTORY_NOT_CONFIGURED',
  directoryConfigInvalid: 'DIRECTORY_CONFIG_INVALID',
  passwordManagedByDirectory: 'PASSWORD_MANAGED_BY_DIRECTORY',
  // Certificates bound to people: a workstation that names who may sign in, a person's own certificate.
  certificateNotForUser: 'CERTIFICATE_NOT_FOR_USER',
  userCertificateRequired: 'USER_CERTIFICATE_REQUIRED',
  // Operations: per-route request limits (429) and the maintenance window that stops sales (503).
  rateLimited: 'RATE_LIMITED',
  maintenance: 'MAINTENANCE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** RFC 9457 problem details plus the product's stable `code` and the request id for support calls. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ path: Type.String(), message: Type.String() }), { maxItems: 20 }),
    ),
    /** With 429: when to try again. */
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    /** With SESSION_ENDED: why (superseded, logout, password_changed, …), so the station can say so. */
    reason: Type.Optional(Type.String()),
    /** With PASSWORD_REJECTED: the ids of the rules the password failed. */
    failedRules: Type.Optional(Type.Array(Type.String())),
    /** With MAINTENANCE: the announced end of the window (absent when open-ended). */
    until: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { $id: 'Problem' },
);

export type Problem = Static<typeof Problem>;
