import type { Knex } from 'knex';

/**
 * The open till session of (workstation, user), for the sales service to book a counter payment or
 * refund into. Call it inside the transaction that inserts the payment (tenant scope already set).
 *
 * It takes a FOR KEY SHARE lock on the session row, the same lock the payment's foreign key takes, but
 * before the sale does its work: a closing (which locks the row FOR UPDATE before summing) then either
 * waits for this sale to commit and counts its payment, or has already closed the session, in which
 * case this returns undefined. Many sales on one till do not block each other.
 */
export async function findOpenTillSession(trx: Knex.Transaction, who: { workstationId: string; userId: string }): Promise<{ id: string } | undefined> {
  return trx('till_sessions')
    .where({ workstation_id: who.workstationId, user_id: who.userId })
    .whereNull('closed_at')
    .forKeyShare()
    .first<{ id: string } | undefined>('id');
}
