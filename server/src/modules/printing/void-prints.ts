import type { Knex } from 'knex';
import { printingRepository } from './repository.js';

/**
 * Voids the live (pending or active) prints of tickets that are being cancelled, inside the caller's
 * transaction, so that a cancelled ticket's barcode stops admitting in the same commit. The blanks stay as
 * they are: a pending print's blank is still confirmed or spoiled by the station. Returns the voided print
 * ids for the caller's audit row.
 */
export async function voidPrintsOfCancelledTickets(
  trx: Knex.Transaction,
  input: { tenantId: string; userId: string; workstationId: string; ticketIds: string[]; now: Date },
): Promise<string[]> {
  if (input.ticketIds.length === 0) return [];
  const voided = await printingRepository.voidPrints(trx, { tenantId: input.tenantId, userId: input.userId, workstationId: input.workstationId, now: input.now }, { ticketIds: input.ticketIds }, 'cancelled');
  return voided.map((p) => p.id).sort();
}
