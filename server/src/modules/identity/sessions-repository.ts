import type { Knex } from 'knex';

export type SessionEndReason =
  | 'logout'
  | 'superseded'
  | 'expired'
  | 'idle'
  | 'password_changed'
  | 'user_disabled'
  | 'rights_changed'
  | 'workstation_revoked'
  | 'ended_by_admin';

export interface SessionRow {
  id: string;
  tenant_id: string;
  user_id: string;
  workstation_id: string;
  token_hash: string;
  cert_fingerprint: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  ended_at: Date | null;
  end_reason: SessionEndReason | null;
}

export function createSessionRepository() {
  return {
    async insert(
      db: Knex.Transaction,
      input: { tenantId: string; userId: string; workstationId: string; tokenHash: string; certFingerprint: string; now: Date; expiresAt: Date },
    ): Promise<SessionRow> {
      const [row] = await db('sessions')
        .insert({
          tenant_id: input.tenantId,
          user_id: input.userId,
          workstation_id: input.workstationId,
          token_hash: input.tokenHash,
          cert_fingerprint: input.certFingerprint,
          created_at: input.now,
          expires_at: input.expiresAt,
          last_seen_at: input.now,
        })
        .returning<SessionRow[]>('*');
      if (row === undefined) throw new Error('insert returned no row');
      return row;
    },

    findByTokenHash(db: Knex.Transaction, tokenHash: string): Promise<SessionRow | undefined> {
      return db('sessions').where({ token_hash: tokenHash }).first<SessionRow | undefined>('*');
    },

    findById(db: Knex.Transaction, id: string): Promise<SessionRow | undefined> {
      return db('sessions').where({ id }).first<SessionRow | undefined>('*');
    },

    /** Ends the open sessions that match; returns the ended rows (for the audit trail). */
    async endWhere(db: Knex.Transaction, where: { userId?: string; sessionId?: string; workstationId?: string }, reason: SessionEndReason, now: Date): Promise<SessionRow[]> {
      const query = db('sessions').whereNull('ended_at');
      if (where.userId !== undefined) void query.where('user_id', where.userId);
      if (where.sessionId !== undefined) void query.where('id', where.sessionId);
      if (where.workstationId !== undefined) void query.where('workstation_id', where.workstationId);
      return query.update({ ended_at: now, end_reason: reason }).returning<SessionRow[]>('*');
    },

    async touch(db: Knex.Transaction, id: string, now: Date): Promise<void> {
      await db('sessions').where({ id }).whereNull('ended_at').update({ last_seen_at: now });
    },

    listActive(db: Knex.Transaction, now: Date): Promise<Array<SessionRow & { login: string; display_name: string; workstation_name: string }>> {
      return db('sessions as s')
        .join('users as u', 'u.id', 's.user_id')
        .join('workstations as w', 'w.id', 's.workstation_id')
        .whereNull('s.ended_at')
        .where('s.expires_at', '>', now)
        .orderBy('s.created_at', 'desc')
        .select('s.*', 'u.login', 'u.display_name', 'w.name as workstation_name');
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
