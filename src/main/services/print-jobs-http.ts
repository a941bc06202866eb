/**
 * PrintJobBackend over the station's HTTPS API client: the server's print-job routes
 * (server/src/modules/printing/routes.ts). Only the fields the print path uses are checked here; the
 * full views live in the API contract.
 */
import { Type } from 'typebox';
import type { HttpClient } from '../../shared/api-client/http-client.js';
import { TicketFace } from '../../shared/ticket-sheet/ticket-face.js';
import type { PrintJobBackend } from '../ports/print-jobs.js';

const IssuedJob = Type.Object({
  id: Type.String({ format: 'uuid' }),
  startPosition: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]),
  tickets: Type.Array(TicketFace, { minItems: 1 }),
});
const JobAnswer = Type.Object({ id: Type.String({ format: 'uuid' }) });

const segment = (id: string) => encodeURIComponent(id);

export function createHttpPrintJobBackend(http: HttpClient): PrintJobBackend {
  return {
    issue: (orderId, ticketIds) =>
      http.request({
        method: 'POST',
        path: `/api/v1/orders/${segment(orderId)}/print-jobs`,
        body: ticketIds === undefined ? {} : { ticketIds: [...ticketIds] },
        response: IssuedJob,
        auth: 'session',
        // A retry after a lost answer returns the job issued first instead of spending new blanks.
        idempotent: true,
      }),
    reprint: (ticketId, reason, note) =>
      http.request({
        method: 'POST',
        path: `/api/v1/tickets/${segment(ticketId)}/reprint`,
        body: { reason, ...(note === undefined ? {} : { note }) },
        response: IssuedJob,
        auth: 'session',
        // A retry after a lost answer returns the first reprint instead of voiding the new barcode too.
        idempotent: true,
      }),
    confirm: (jobId, blankNumbers) =>
      http.request({ method: 'POST', path: `/api/v1/print-jobs/${segment(jobId)}/confirm`, body: { blankNumbers: [...blankNumbers] }, response: JobAnswer, auth: 'session', idempotent: true }),
    spoil: (jobId, blankNumbers, reason, note) =>
      http.request({
        method: 'POST',
        path: `/api/v1/print-jobs/${segment(jobId)}/spoil`,
        body: { blankNumbers: [...blankNumbers], reason, ...(note === undefined ? {} : { note }) },
        response: JobAnswer,
        auth: 'session',
        idempotent: true,
      }),
  };
}
