import { Type, type Static } from 'typebox';
import { PERMISSIONS } from '../domain/permissions.js';

export const PermissionName = Type.Union(PERMISSIONS.map((p) => Type.Literal(p)));

export const LoginRequest = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 64 }),
    // Longer than any acceptable password (256 code points, up to 4 bytes each) but bounded.
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const SessionUser = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenantId: Type.String({ format: 'uuid' }),
  login: Type.String(),
  displayName: Type.String(),
});

export const LoginResponse = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  mustChangePassword: Type.Boolean(),
  user: SessionUser,
  permissions: Type.Array(Type.String()),
});
export type LoginResponse = Static<typeof LoginResponse>;

export const MeResponse = Type.Object({
  user: SessionUser,
  permissions: Type.Array(Type.String()),
  mustChangePassword: Type.Boolean(),
  expiresAt: Type.String({ format: 'date-time' }),
});
export type MeResponse = Static<typeof MeResponse>;

export const ChangePasswordRequest = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1024 }),
    newPassword: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type ChangePasswordRequest = Static<typeof ChangePasswordRequest>;

export const ChangePasswordResponse = Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) });

export const PermissionCatalog = Type.Object({
  permissions: Type.Array(Type.String()),
  roleTemplates: Type.Record(Type.String(), Type.Array(Type.String())),
});
