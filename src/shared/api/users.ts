import { Type, type Static } from 'typebox';
import { PermissionName } from './auth.js';

export const UserIdParams = Type.Object({ userId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const UserView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenantId: Type.String({ format: 'uuid' }),
  login: Type.String(),
  displayName: Type.String(),
  disabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  permissions: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type UserView = Static<typeof UserView>;

export const CreateUserRequest = Type.Object(
  {
    /** Operator staff with tenants.manage may create users of a sub-tenant; everyone else in their own. */
    tenantId: Type.Optional(Type.String({ format: 'uuid' })),
    login: Type.String({ pattern: '^[a-zA-Z0-9][a-zA-Z0-9._-]{1,62}$' }),
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    permissions: Type.Array(PermissionName, { maxItems: 50, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateUserRequest = Static<typeof CreateUserRequest>;

export const InitialPasswordResponse = Type.Object({
  initialPassword: Type.String(),
  initialPasswordExpiresAt: Type.String({ format: 'date-time' }),
});

export const CreateUserResponse = Type.Object({
  user: UserView,
  initialPassword: Type.String(),
  initialPasswordExpiresAt: Type.String({ format: 'date-time' }),
});

export const SetPermissionsRequest = Type.Object(
  { permissions: Type.Array(PermissionName, { maxItems: 50, uniqueItems: true }) },
  { additionalProperties: false },
);

export const SessionIdParams = Type.Object({ sessionId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const SessionView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  userId: Type.String({ format: 'uuid' }),
  login: Type.String(),
  displayName: Type.String(),
  workstationId: Type.String({ format: 'uuid' }),
  workstationName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
});
