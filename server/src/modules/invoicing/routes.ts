import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import {
  AssignPaymentRequest,
  BillingProfileInput,
  BillingProfileResponse,
  BillingProfileView,
  BillingTermsInput,
  CancelInvoiceRequest,
  CreateBusinessInvoiceRequest,
  CreateOutletSettlementRequest,
  CreatePromoterSettlementRequest,
  DiscardPaymentRequest,
  EscrowTransactionView,
  ExportQuery,
  InvoiceIdParams,
  InvoiceListQuery,
  InvoiceSummary,
  InvoiceView,
  InvoicingErrorCode,
  IssueInvoiceRequest,
  ManualPaymentRequest,
  PaymentListQuery,
  StatementImportRequest,
  StatementImportResult,
  TenantIdParams,
  TransactionIdParams,
  UpdateDraftRequest,
} from '../../../../src/shared/api/invoicing.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { createPdfRenderer } from '../../pdf/renderer.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import { requestHash, requireIdempotencyKey } from '../idempotency/idempotency.js';
import { createPaymentsService } from './payments-service.js';
import { invoiceableOrderRoutes } from './invoiceable-routes.js';
import { createInvoicingService, type InvoicingActor } from './service.js';

/** Statement files as JSON: up to 2 million characters of content (schema), escaped into at most this. */
const STATEMENT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 503: Problem };
const binary = (description: string) => Type.Unsafe<Buffer | string>({ type: 'string', format: 'binary', description });

function invoicingActor(request: FastifyRequest): InvoicingActor {
  const { actor } = actorOf(request);
  const kind = request.workstation?.tenant.kind;
  return { ...actor, tenantKind: kind === 'operator' || kind === 'promoter' ? kind : 'outlet' };
}

/**
 * Invoices (invoices.view / issue / cancel), escrow payments (payments.book) and the tenant's billing
 * profile (users.manage). Operator staff act over the tenants below the operator.
 */
export const invoicingRoutes: FastifyPluginAsyncTypebox<{ knex: Knex; clock: Clock }> = async (app, { knex, clock }) => {
  const invoices = createInvoicingService({ knex, clock, pdf: createPdfRenderer() });
  const payments = createPaymentsService({ knex, clock });
  const tags = ['invoicing'];
  await app.register(invoiceableOrderRoutes, { knex });

  app.get('/v1/billing-profile', { config: loggedIn(), schema: { tags, summary: 'Billing data of the own tenant (null until entered)', response: { 200: BillingProfileResponse, ...problems } } }, async (request) => ({
    profile: await invoices.getProfile(invoicingActor(request)),
  }));

  app.put(
    '/v1/billing-profile',
    { config: loggedIn('users.manage'), schema: { tags, summary: 'Enter or change the own tenant\'s billing data and number pattern', body: BillingProfileInput, response: { 200: BillingProfileView, ...problems } } },
    async (request) => invoices.putProfile(invoicingActor(request), request.body),
  );

  app.put(
    '/v1/billing-profiles/:tenantId/terms',
    {
      config: loggedIn('invoices.issue'),
      schema: { tags, summary: 'Operator: an outlet\'s commission or a promoter\'s platform fee', params: TenantIdParams, body: BillingTermsInput, response: { 200: BillingProfileView, ...problems } },
    },
    async (request) => invoices.putTerms(invoicingActor(request), request.params.tenantId, request.body),
  );

  app.post(
    '/v1/invoices/business-orders',
    { config: loggedIn('invoices.issue'), schema: { tags, summary: 'Draft invoice for an unpaid business order', body: CreateBusinessInvoiceRequest, response: { 201: InvoiceView, ...problems } } },
    async (request, reply) => reply.code(201).send(await invoices.draftForOrder(invoicingActor(request), request.body.orderId)),
  );

  app.post(
    '/v1/invoices/outlet-settlements',
    { config: loggedIn('invoices.issue'), schema: { tags, summary: 'Draft settlement of this outlet for a period', body: CreateOutletSettlementRequest, response: { 201: InvoiceView, ...problems } } },
    async (request, reply) => reply.code(201).send(await invoices.draftOutletSettlement(invoicingActor(request), request.body)),
  );

  app.post(
    '/v1/invoices/promoter-settlements',
    { config: loggedIn('invoices.issue'), schema: { tags, summary: 'Operator: draft settlement with a promoter after an event', body: CreatePromoterSettlementRequest, response: { 201: InvoiceView, ...problems } } },
    async (request, reply) => reply.code(201).send(await invoices.draftPromoterSettlement(invoicingActor(request), request.body)),
  );

  app.get(
    '/v1/invoices',
    { config: loggedIn('invoices.view'), schema: { tags, summary: 'Invoices by period, status, kind and recipient', querystring: InvoiceListQuery, response: { 200: Type.Array(InvoiceSummary), ...problems } } },
    async (request) => invoices.list(invoicingActor(request), request.query),
  );

  app.get(
    '/v1/invoices/open-items',
    { config: loggedIn('invoices.view'), schema: { tags, summary: 'Issued invoices not yet fully paid', response: { 200: Type.Array(InvoiceSummary), ...problems } } },
    async (request) => invoices.list(invoicingActor(request), { openOnly: true, limit: 500 }),
  );

  app.get(
    '/v1/invoices/export/datev.csv',
    { config: loggedIn('invoices.view'), schema: { tags, summary: 'DATEV-style booking list of issued invoices (columns in the README)', querystring: ExportQuery, response: { 200: binary('text/csv'), ...problems } } },
    async (request, reply) => {
      const csv = await invoices.datev(invoicingActor(request), request.query);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="buchungen.csv"').send(csv);
    },
  );

  app.get(
    '/v1/invoices/:invoiceId',
    { config: loggedIn('invoices.view'), schema: { tags, summary: 'An invoice as stored', params: InvoiceIdParams, response: { 200: InvoiceView, ...problems } } },
    async (request) => invoices.get(invoicingActor(request), request.params.invoiceId),
  );

  app.patch(
    '/v1/invoices/:invoiceId',
    { config: loggedIn('invoices.issue'), schema: { tags, summary: 'Change a draft (issued invoices refuse every change)', params: InvoiceIdParams, body: UpdateDraftRequest, response: { 200: InvoiceView, ...problems } } },
    async (request) => invoices.updateDraft(invoicingActor(request), request.params.invoiceId, request.body),
  );

  app.delete(
    '/v1/invoices/:invoiceId',
    { config: loggedIn('invoices.issue'), schema: { tags, summary: 'Throw a draft away (issued invoices stay for ever)', params: InvoiceIdParams, response: { 204: Type.Null(), ...problems } } },
    async (request, reply) => {
      await invoices.deleteDraft(invoicingActor(request), request.params.invoiceId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/invoices/:invoiceId/issue',
    { config: loggedIn('invoices.issue'), schema: { tags, summary: 'Issue a draft: number, frozen content, PDF', params: InvoiceIdParams, body: IssueInvoiceRequest, response: { 200: InvoiceView, ...problems } } },
    async (request) => invoices.issue(invoicingActor(request), request.params.invoiceId),
  );

  app.post(
    '/v1/invoices/:invoiceId/cancel',
    { config: loggedIn('invoices.cancel'), schema: { tags, summary: 'Cancel by a cancellation invoice (reason required)', params: InvoiceIdParams, body: CancelInvoiceRequest, response: { 201: InvoiceView, ...problems } } },
    async (request, reply) => reply.code(201).send(await invoices.cancel(invoicingActor(request), request.params.invoiceId, request.body.reason.trim())),
  );

  app.get(
    '/v1/invoices/:invoiceId/invoice.pdf',
    { config: loggedIn('invoices.view'), schema: { tags, summary: 'The stored PDF, verified against its SHA-256', params: InvoiceIdParams, response: { 200: binary('application/pdf'), ...problems, 500: Problem } } },
    async (request, reply) => {
      try {
        const { pdf, sha256, label } = await invoices.pdf(invoicingActor(request), request.params.invoiceId);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${label}.pdf"`)
          .header('repr-digest', `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`)
          .send(pdf);
      } catch (error) {
        if (error instanceof AppError && error.code === InvoicingErrorCode.pdfIntegrityFailed) request.log.error({ invoiceId: request.params.invoiceId }, 'stored invoice PDF does not match its SHA-256');
        throw error;
      }
    },
  );

  app.get(
    '/v1/invoices/:invoiceId/invoice.xml',
    { config: loggedIn('invoices.view'), schema: { tags, summary: 'EN 16931 e-invoice (UBL 2.1)', params: InvoiceIdParams, response: { 200: binary('application/xml'), ...problems } } },
    async (request, reply) => {
      const { xml, label } = await invoices.xml(invoicingActor(request), request.params.invoiceId);
      return reply.type('application/xml; charset=utf-8').header('content-disposition', `attachment; filename="${label}.xml"`).send(xml);
    },
  );

  app.post(
    '/v1/payments',
    {
      config: loggedIn('payments.book'),
      schema: { tags, summary: 'Book an incoming transfer by hand; an optional Idempotency-Key header makes a retry return the first booking', body: ManualPaymentRequest, response: { 201: EscrowTransactionView, ...problems } },
    },
    async (request, reply) => {
      const header = request.headers['idempotency-key'];
      const idem = header === undefined ? undefined : { key: requireIdempotencyKey(header), hash: requestHash({ route: 'payments.book', body: request.body }) };
      const result = await payments.book(invoicingActor(request), request.body, idem);
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(result.status).send(result.body);
    },
  );

  app.post(
    '/v1/payments/imports',
    {
      config: loggedIn('payments.book'),
      // A day's statement of a busy escrow account is larger than the API's usual body limit.
      bodyLimit: STATEMENT_BODY_LIMIT_BYTES,
      schema: { tags, summary: 'Import a bank statement (CAMT.053 XML or CSV)', body: StatementImportRequest, response: { 201: StatementImportResult, ...problems } },
    },
    async (request, reply) => reply.code(201).send(await payments.importStatement(invoicingActor(request), request.body)),
  );

  app.get(
    '/v1/payments',
    { config: loggedIn('payments.book'), schema: { tags, summary: 'Escrow transactions (unmatched ones wait for assignment)', querystring: PaymentListQuery, response: { 200: Type.Array(EscrowTransactionView), ...problems } } },
    async (request) => payments.list(invoicingActor(request), request.query),
  );

  app.post(
    '/v1/payments/:transactionId/assign',
    { config: loggedIn('payments.book'), schema: { tags, summary: 'Assign an unmatched transfer to an invoice (by id or typed number); refused for a paid invoice', params: TransactionIdParams, body: AssignPaymentRequest, response: { 200: EscrowTransactionView, ...problems } } },
    async (request) => payments.assign(invoicingActor(request), request.params.transactionId, request.body),
  );

  app.post(
    '/v1/payments/:transactionId/discard',
    { config: loggedIn('payments.book'), schema: { tags, summary: 'Set an unmatched transfer aside with a reason', params: TransactionIdParams, body: DiscardPaymentRequest, response: { 200: EscrowTransactionView, ...problems } } },
    async (request) => payments.discard(invoicingActor(request), request.params.transactionId, request.body.reason.trim()),
  );
};
