import { Type, type Static } from 'typebox';

/** A workstation as the admin screen lists it (GET /api/v1/workstations). */
export const WorkstationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenantId: Type.String({ format: 'uuid' }),
  name: Type.String(),
  certSerial: Type.String(),
  certNotAfter: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedReason: Type.Union([Type.String(), Type.Null()]),
});
export type WorkstationView = Static<typeof WorkstationView>;

export const RevokeWorkstationRequest = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
