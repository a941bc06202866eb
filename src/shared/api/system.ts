import { Type, type Static } from 'typebox';

/** Health answers reveal nothing beyond up/down: no versions, no hostnames, no database details. */
export const HealthStatus = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]) });
export type HealthStatus = Static<typeof HealthStatus>;

export const TenantKind = Type.Union([Type.Literal('operator'), Type.Literal('promoter'), Type.Literal('outlet')]);
export type TenantKind = Static<typeof TenantKind>;

/** What the server knows about the calling workstation from its client certificate. */
export const WhoAmI = Type.Object({
  workstation: Type.Object({
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    certificateNotAfter: Type.String({ format: 'date-time' }),
  }),
  tenant: Type.Object({
    id: Type.String({ format: 'uuid' }),
    code: Type.String(),
    name: Type.String(),
    kind: TenantKind,
  }),
});
export type WhoAmI = Static<typeof WhoAmI>;
