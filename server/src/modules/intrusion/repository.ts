import type { Knex } from 'knex';
import type { SignalKind } from './config.js';

type Db = Knex | Knex.Transaction;

export interface BlockRow {
  id: string;
  source: string;
  trigger: SignalKind;
  level: number;
  signals: SignalSummary;
  blocked_at: Date;
  blocked_until: Date;
  lifted_at: Date | null;
  lifted_by: string | null;
  lift_reason: string | null;
}

/** What caused a block, frozen with it (the signals themselves are pruned sooner). */
export interface SignalSummary {
  windowSeconds: number;
  threshold: number;
  /** Signals of the source within the window, per kind. */
  counts: Partial<Record<SignalKind, number>>;
  /** Distinct details of the triggering kind (paths, login names, TLS errors, signatures), newest first. */
  samples: string[];
}

export interface SignalRow {
  id: number;
  at: Date;
  source: string;
  kind: SignalKind;
  detail: string;
}

const SAMPLE_LIMIT = 20;

// knex answers a DELETE with a count on pg and with the driver's result object on knex-pglite.
function affectedRows(result: unknown): number {
  if (typeof result === 'number') return result;
  const r = result as { rowCount?: unknown; affectedRows?: unknown };
  return Number(r.affectedRows ?? r.rowCount ?? 0);
}

/** Intrusion tables are platform-level (no tenant): every method works on any connection or transaction. */
export function createIntrusionRepository() {
  return {
    async insertSignal(db: Db, signal: { at: Date; source: string; kind: SignalKind; detail: string }): Promise<void> {
      await db('intrusion_signals').insert({ ...signal, detail: signal.detail.slice(0, 300) });
    },

    /** Signals of one kind since `since` (exclusive); login failures count distinct login names. */
    async countSignals(db: Db, source: string, kind: SignalKind, since: Date): Promise<number> {
      const query = db('intrusion_signals').where({ source, kind }).where('at', '>', since);
      const row = await (kind === 'login_failure' ? query.countDistinct<Array<{ count: number | string }>>('detail as count') : query.count<Array<{ count: number | string }>>('* as count'));
      return Number(row[0]?.count ?? 0);
    },

    async summarise(db: Db, source: string, kind: SignalKind, since: Date, rule: { threshold: number; windowSeconds: number }): Promise<SignalSummary> {
      const rows = await db('intrusion_signals').where({ source }).where('at', '>', since).groupBy('kind').select<Array<{ kind: SignalKind; count: number | string }>>('kind', db.raw('count(*) as count'));
      const counts: Partial<Record<SignalKind, number>> = {};
      for (const r of rows) counts[r.kind] = Number(r.count);
      const samples = await db('intrusion_signals')
        .where({ source, kind })
        .where('at', '>', since)
        .groupBy('detail')
        .orderByRaw('max(at) DESC')
        .limit(SAMPLE_LIMIT)
        .pluck<string[]>('detail');
      return { windowSeconds: rule.windowSeconds, threshold: rule.threshold, counts, samples };
    },

    async activeBlock(db: Db, source: string, now: Date): Promise<BlockRow | undefined> {
      return db('intrusion_blocks').where({ source }).whereNull('lifted_at').where('blocked_until', '>', now).orderBy('blocked_until', 'desc').first<BlockRow | undefined>();
    },

    /** When the source's last block began and when the last one was lifted: signals before count no more. */
    async lastBlockMarks(db: Db, source: string): Promise<{ blockedAt: Date | null; liftedAt: Date | null }> {
      const row = await db('intrusion_blocks').where({ source }).first<{ blocked_at: Date | null; lifted_at: Date | null }>(db.raw('max(blocked_at) AS blocked_at'), db.raw('max(lifted_at) AS lifted_at'));
      return { blockedAt: row?.blocked_at ?? null, liftedAt: row?.lifted_at ?? null };
    },

    /** Blocks of the source since `since` that no operator lifted: they raise the escalation level. */
    async countEscalating(db: Db, source: string, since: Date): Promise<number> {
      const [row] = await db('intrusion_blocks').where({ source }).whereNull('lifted_at').where('blocked_at', '>', since).count<Array<{ count: number | string }>>('* as count');
      return Number(row?.count ?? 0);
    },

    async insertBlock(db: Db, block: Omit<BlockRow, 'id' | 'lifted_at' | 'lifted_by' | 'lift_reason'>): Promise<BlockRow> {
      const [row] = await db('intrusion_blocks')
        .insert({ ...block, signals: JSON.stringify(block.signals) })
        .returning<BlockRow[]>('*');
      return row as BlockRow;
    },

    async findBlock(db: Db, id: string): Promise<BlockRow | undefined> {
      return db('intrusion_blocks').where({ id }).first<BlockRow | undefined>();
    },

    async lockBlock(db: Db, id: string): Promise<BlockRow | undefined> {
      return db('intrusion_blocks').where({ id }).forUpdate().first<BlockRow | undefined>();
    },

    async liftBlock(db: Db, id: string, lift: { at: Date; by: string | null; reason: string }): Promise<BlockRow> {
      const [row] = await db('intrusion_blocks').where({ id }).update({ lifted_at: lift.at, lifted_by: lift.by, lift_reason: lift.reason }).returning<BlockRow[]>('*');
      return row as BlockRow;
    },

    async listBlocks(db: Db, filter: { activeAt?: Date; source?: string; limit: number }): Promise<BlockRow[]> {
      const query = db('intrusion_blocks').orderBy('blocked_at', 'desc').limit(filter.limit);
      if (filter.activeAt !== undefined) void query.whereNull('lifted_at').where('blocked_until', '>', filter.activeAt);
      if (filter.source !== undefined) void query.where({ source: filter.source });
      return query.select<BlockRow[]>('*');
    },

    async activeBlocks(db: Db, now: Date): Promise<Array<Pick<BlockRow, 'id' | 'source' | 'blocked_until'>>> {
      return db('intrusion_blocks').whereNull('lifted_at').where('blocked_until', '>', now).select('id', 'source', 'blocked_until');
    },

    async recentSignals(db: Db, source: string, limit: number): Promise<SignalRow[]> {
      return db('intrusion_signals').where({ source }).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).select<SignalRow[]>('*');
    },

    /** Deletes old signals and ended blocks; returns how many rows of each went. */
    async prune(db: Db, cut: { signalsBefore: Date; blocksEndedBefore: Date }): Promise<{ signals: number; blocks: number }> {
      const signals = await db('intrusion_signals').where('at', '<', cut.signalsBefore).delete();
      const blocks = await db('intrusion_blocks')
        .where((q) => void q.where('blocked_until', '<', cut.blocksEndedBefore).orWhere('lifted_at', '<', cut.blocksEndedBefore))
        .delete();
      return { signals: affectedRows(signals), blocks: affectedRows(blocks) };
    },
  };
}

export type IntrusionRepository = ReturnType<typeof createIntrusionRepository>;
