import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import {
  BlankBatchView,
  ConfirmPrintJobRequest,
  CreatePrintJobRequest,
  LoadTrayRequest,
  OrderIdParams,
  PendingPrintJob,
  PrintJobIdParams,
  PrintJobView,
  PrintRecord,
  PrintSettingsRequest,
  RegisterBlankBatchRequest,
  ReprintRequest,
  SpoilBlanksRequest,
  StockQuery,
  StockReport,
  TicketIdParams,
  TrayView,
  WorkstationIdParams,
} from '../../../../src/shared/api/printing.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import type { Clock } from '../../clock.js';
import { createPdfRenderer } from '../../pdf/renderer.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import { requestHash, requireIdempotencyKey, type StoredResponse } from '../idempotency/idempotency.js';
import { createPrintService } from './print-service.js';
import { createSheetRenderer } from './sheet.js';
import type { PrintingSettings } from './settings.js';
import { createStockService, type StockCaller } from './stock-service.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 503: Problem };

/** A write under an idempotency key: the first result, marked when it is a replay. */
const sendStored = <T>(reply: FastifyReply, result: StoredResponse<T>) => {
  if (result.replayed) void reply.header('idempotent-replayed', 'true');
  return reply.code(result.status).send(result.body);
};

const stockCaller = (request: FastifyRequest): StockCaller => ({ actor: actorOf(request).actor, tenantKind: request.workstation?.tenant.kind ?? 'outlet' });

/**
 * Ticket printing. Blank stock: stock.manage (the operator registers batches for its outlets; outlets read
 * their own stock). Tray, print jobs, confirmation and spoilage: tickets.print. Reprints: tickets.reprint
 * (and tickets.reprint_admitted for a ticket already used for admission).
 */
export const printingRoutes: FastifyPluginAsyncTypebox<{ knex: Knex; clock: Clock; settings?: Partial<PrintingSettings> }> = async (app, { knex, clock, settings }) => {
  const printing = createPrintService({ knex, clock, ...(settings === undefined ? {} : { settings }) });
  const sheets = createSheetRenderer(undefined, () => clock.now());
  const stock = createStockService({ knex, clock, pdf: createPdfRenderer(), ...(settings === undefined ? {} : { settings }) });
  const print = loggedIn('tickets.print');
  const manage = loggedIn('stock.manage');

  // ----------------------------------------------------------------------------------------- stock

  app.post(
    '/v1/blank-batches',
    { config: manage, schema: { tags: ['printing'], summary: 'Register a batch of blank numbers for an outlet (operator)', body: RegisterBlankBatchRequest, response: { 201: BlankBatchView, ...problems } } },
    async (request, reply) => reply.code(201).send(await stock.registerBatch(stockCaller(request), request.body)),
  );

  app.get(
    '/v1/blank-batches',
    { config: manage, schema: { tags: ['printing'], summary: "An outlet's blank batches with their counts", querystring: StockQuery, response: { 200: Type.Array(BlankBatchView), ...problems } } },
    async (request) => stock.listBatches(stockCaller(request), request.query.outletId),
  );

  app.get(
    '/v1/stock/report',
    { config: manage, schema: { tags: ['printing'], summary: 'Stock report: every blank in stock, pending, printed, spoiled or voided', querystring: StockQuery, response: { 200: StockReport, ...problems } } },
    async (request) => stock.report(stockCaller(request), request.query.outletId),
  );

  app.get(
    '/v1/stock/report.pdf',
    {
      config: manage,
      schema: {
        tags: ['printing'],
        summary: 'The stock report as PDF',
        querystring: StockQuery,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...problems },
      },
    },
    async (request, reply) => {
      const { pdf } = await stock.reportPdf(stockCaller(request), request.query.outletId);
      return reply.type('application/pdf').header('content-disposition', 'inline; filename="Blankobestand.pdf"').send(pdf);
    },
  );

  // ------------------------------------------------------------------------------------------ tray

  app.get(
    '/v1/printing/tray',
    { config: print, schema: { tags: ['printing'], summary: "This workstation's paper tray", response: { 200: TrayView, ...problems } } },
    async (request) => stock.tray(actorOf(request).actor),
  );

  app.put(
    '/v1/printing/tray',
    { config: print, schema: { tags: ['printing'], summary: 'Load paper: the number of the next blank in the tray', body: LoadTrayRequest, response: { 200: TrayView, ...problems } } },
    async (request) => stock.loadTray(actorOf(request).actor, request.body.nextBlankNumber),
  );

  app.put(
    '/v1/printing/workstations/:workstationId/settings',
    {
      config: manage,
      schema: { tags: ['printing'], summary: 'Whether a workstation feeds partly used sheets again', params: WorkstationIdParams, body: PrintSettingsRequest, response: { 200: TrayView, ...problems } },
    },
    async (request) => stock.setSettings(actorOf(request).actor, request.params.workstationId, request.body),
  );

  // ------------------------------------------------------------------------------------------ jobs

  app.post(
    '/v1/orders/:orderId/print-jobs',
    {
      config: print,
      schema: {
        tags: ['printing'],
        summary: "Print a paid order's tickets on the tray's next blanks (needs an Idempotency-Key header)",
        params: OrderIdParams,
        body: CreatePrintJobRequest,
        response: { 201: PrintJobView, ...problems },
      },
    },
    async (request, reply) => {
      const key = requireIdempotencyKey(request.headers['idempotency-key']);
      const { actor } = actorOf(request);
      const hash = requestHash({ route: 'print_jobs.create', orderId: request.params.orderId, workstationId: actor.workstation.id, body: request.body });
      return sendStored(reply, await printing.createJob(actor, request.params.orderId, request.body, { key, hash }));
    },
  );

  app.get(
    '/v1/print-jobs/pending',
    { config: print, schema: { tags: ['printing'], summary: 'Print jobs with blanks neither confirmed nor spoiled', response: { 200: Type.Array(PendingPrintJob), ...problems } } },
    async (request) => printing.pendingJobs(actorOf(request).actor),
  );

  app.get(
    '/v1/print-jobs/:printJobId',
    { config: print, schema: { tags: ['printing'], summary: 'A print job with its ticket faces and print states', params: PrintJobIdParams, response: { 200: PrintJobView, ...problems } } },
    async (request) => printing.getJob(actorOf(request).actor, request.params.printJobId),
  );

  app.get(
    '/v1/print-jobs/:printJobId/sheet.pdf',
    {
      config: print,
      schema: {
        tags: ['printing'],
        summary: "The job's ticket sheet as PDF for the browser's print path: pending blanks only, at the issuing workstation (src/sheet-render)",
        params: PrintJobIdParams,
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...problems },
      },
    },
    async (request, reply) => {
      const { actor } = actorOf(request);
      const pdf = await sheets.render(actor, await printing.getJob(actor, request.params.printJobId));
      return reply.type('application/pdf').header('content-disposition', 'attachment; filename="Tickets.pdf"').header('cache-control', 'no-store').send(pdf);
    },
  );

  app.post(
    '/v1/print-jobs/:printJobId/confirm',
    {
      config: print,
      schema: { tags: ['printing'], summary: 'The printer accepted the job: prints become active', params: PrintJobIdParams, body: ConfirmPrintJobRequest, response: { 200: PrintJobView, ...problems } },
    },
    async (request) => printing.confirm(actorOf(request).actor, request.params.printJobId, request.body),
  );

  app.post(
    '/v1/print-jobs/:printJobId/spoil',
    {
      config: print,
      schema: { tags: ['printing'], summary: 'These blanks failed: prints void, blanks spoiled', params: PrintJobIdParams, body: SpoilBlanksRequest, response: { 200: PrintJobView, ...problems } },
    },
    async (request) => printing.spoil(actorOf(request).actor, request.params.printJobId, request.body),
  );

  // --------------------------------------------------------------------------------------- reprint

  app.post(
    '/v1/tickets/:ticketId/reprint',
    {
      config: loggedIn('tickets.reprint'),
      schema: {
        tags: ['printing'],
        summary: 'Reprint a ticket: the old barcode dies, a new one is printed on a new blank (needs an Idempotency-Key header)',
        params: TicketIdParams,
        body: ReprintRequest,
        response: { 201: PrintJobView, ...problems },
      },
    },
    async (request, reply) => {
      const key = requireIdempotencyKey(request.headers['idempotency-key']);
      const { actor } = actorOf(request);
      const hash = requestHash({ route: 'tickets.reprint', ticketId: request.params.ticketId, workstationId: actor.workstation.id, body: request.body });
      return sendStored(reply, await printing.reprint(actor, request.params.ticketId, request.body, { key, hash }));
    },
  );

  app.get(
    '/v1/orders/:orderId/prints',
    { config: print, schema: { tags: ['printing'], summary: "Every print of the order's tickets", params: OrderIdParams, response: { 200: Type.Array(PrintRecord), ...problems } } },
    async (request) => printing.printsOfOrder(actorOf(request).actor, request.params.orderId),
  );

  app.get(
    '/v1/orders/:orderId/reprints',
    { config: print, schema: { tags: ['printing'], summary: 'Reprints of the order: who, when, where, why', params: OrderIdParams, response: { 200: Type.Array(PrintRecord), ...problems } } },
    async (request) => (await printing.printsOfOrder(actorOf(request).actor, request.params.orderId)).filter((p) => p.reprint !== null),
  );
};
