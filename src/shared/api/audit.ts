import { Type, type Static } from 'typebox';

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    userId: Type.Optional(Type.String({ format: 'uuid' })),
    action: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_.]{0,99}\\*?$' })),
    entity: Type.Optional(Type.String({ maxLength: 100 })),
    entityId: Type.Optional(Type.String({ maxLength: 200 })),
    /** Keyset paging: rows with a smaller sequence number than this (newest first). */
    beforeSeq: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorUserId: Type.Union([Type.String(), Type.Null()]),
  workstationId: Type.Union([Type.String(), Type.Null()]),
  sourceIp: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
  hash: Type.String(),
});

export const AuditPage = Type.Object({
  items: Type.Array(AuditEntry),
  nextBeforeSeq: Type.Union([Type.Integer(), Type.Null()]),
});
export type AuditPage = Static<typeof AuditPage>;

/** The caller's tenant chain, recomputed from the stored rows (GET /api/v1/audit/verify). */
export const AuditChainStatus = Type.Object({
  ok: Type.Boolean(),
  rows: Type.Integer({ minimum: 0 }),
  /** Hash of the last row that still fits the chain (the genesis hash for an empty chain). */
  headHash: Type.String(),
  firstBroken: Type.Union([
    Type.Object({ seq: Type.Integer(), reason: Type.Union([Type.Literal('sequence_gap'), Type.Literal('prev_hash_mismatch'), Type.Literal('hash_mismatch')]) }),
    Type.Null(),
  ]),
  checkedAt: Type.String({ format: 'date-time' }),
});
export type AuditChainStatus = Static<typeof AuditChainStatus>;
