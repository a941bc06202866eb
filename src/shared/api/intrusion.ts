import { Type, type Static } from 'typebox';

/** Intrusion prevention, operator view: blocked source addresses, why, and lifting a block. */

export const SignalKind = Type.Union([Type.Literal('scan'), Type.Literal('login_failure'), Type.Literal('tls'), Type.Literal('injection')]);
export type SignalKind = Static<typeof SignalKind>;

export const BlockIdParams = Type.Object({ blockId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const BlockListQuery = Type.Object(
  {
    /** `active` (default): blocks in force now; `all`: also ended and lifted ones (kept for the block retention). */
    state: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('all')])),
    source: Type.Optional(Type.String({ minLength: 2, maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type BlockListQuery = Static<typeof BlockListQuery>;

export const BlockView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  source: Type.String(),
  /** The signal kind whose threshold was reached. */
  trigger: SignalKind,
  /** Escalation level (0 = first block within the escalation window). */
  level: Type.Integer({ minimum: 0 }),
  blockedAt: Type.String({ format: 'date-time' }),
  blockedUntil: Type.String({ format: 'date-time' }),
  active: Type.Boolean(),
  liftedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  liftedBy: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  liftReason: Type.Union([Type.String(), Type.Null()]),
  /** Why: signal counts per kind within the window and samples of the triggering kind, frozen with the block. */
  signals: Type.Object({
    windowSeconds: Type.Integer(),
    threshold: Type.Integer(),
    counts: Type.Record(Type.String(), Type.Integer()),
    samples: Type.Array(Type.String()),
  }),
});
export type BlockView = Static<typeof BlockView>;

export const SignalView = Type.Object({
  at: Type.String({ format: 'date-time' }),
  kind: SignalKind,
  detail: Type.String(),
});

export const BlockDetail = Type.Object({
  block: BlockView,
  /** The source's latest signals still kept (signal retention), newest first, at most 100. */
  recentSignals: Type.Array(SignalView),
});
export type BlockDetail = Static<typeof BlockDetail>;

export const LiftBlockRequest = Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500 }) }, { additionalProperties: false });
export type LiftBlockRequest = Static<typeof LiftBlockRequest>;
