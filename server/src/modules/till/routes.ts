import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { Problem } from '../../../../src/shared/api/problem.js';
import {
  CloseTillRequest,
  OpenTillRequest,
  TillClosingSummary,
  TillClosingsQuery,
  TillErrorCode,
  TillReport,
  TillSessionIdParams,
} from '../../../../src/shared/api/till.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { createPdfRenderer } from '../../pdf/renderer.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import { requestHash, requireIdempotencyKey } from '../idempotency/idempotency.js';
import { createTillService } from './service.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 503: Problem };

/**
 * The till of (this workstation, this user): sales.sell. Closings are read by their clerk (sales.sell,
 * own closings only) or by whoever holds reports.view (every closing of the outlet); as no single right
 * covers both, those routes require a session and the service decides.
 */
export const tillRoutes: FastifyPluginAsyncTypebox<{ knex: Knex; clock: Clock }> = async (app, { knex, clock }) => {
  const till = createTillService({ knex, clock, pdf: createPdfRenderer() });
  const sell = loggedIn('sales.sell');
  const reader = loggedIn();

  app.post(
    '/v1/till/open',
    {
      config: sell,
      schema: { tags: ['till'], summary: 'Open the till of this workstation for the logged-in clerk', body: OpenTillRequest, response: { 201: TillReport, ...problems } },
    },
    async (request, reply) => {
      const { actor } = actorOf(request);
      return reply.code(201).send(await till.open(actor, request.body));
    },
  );

  app.get(
    '/v1/till/current',
    { config: sell, schema: { tags: ['till'], summary: 'Interim report (X-Bon) of the open till', response: { 200: TillReport, ...problems } } },
    async (request) => {
      const { actor } = actorOf(request);
      return till.current(actor);
    },
  );

  app.post(
    '/v1/till/close',
    {
      config: sell,
      schema: {
        tags: ['till'],
        summary: 'Close the till after a blind count (Z-Bon); an optional Idempotency-Key header makes a retry return the first result',
        body: CloseTillRequest,
        response: { 200: TillReport, ...problems },
      },
    },
    async (request, reply) => {
      const { actor } = actorOf(request);
      const header = request.headers['idempotency-key'];
      const idem = header === undefined ? undefined : { key: requireIdempotencyKey(header), hash: requestHash({ route: 'till.close', body: request.body }) };
      const result = await till.close(actor, request.body, idem);
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(result.status).send(result.body);
    },
  );

  app.get(
    '/v1/till/closings',
    {
      config: reader,
      schema: { tags: ['till'], summary: 'Closings of this outlet, newest first', querystring: TillClosingsQuery, response: { 200: Type.Array(TillClosingSummary), ...problems } },
    },
    async (request) => {
      const { actor } = actorOf(request);
      return till.listClosings(actor, request.query);
    },
  );

  app.get(
    '/v1/till/closings/:tillSessionId',
    { config: reader, schema: { tags: ['till'], summary: 'A closing report (Z-Bon) as stored', params: TillSessionIdParams, response: { 200: TillReport, ...problems } } },
    async (request) => {
      const { actor } = actorOf(request);
      return till.getClosing(actor, request.params.tillSessionId);
    },
  );

  app.get(
    '/v1/till/closings/:tillSessionId/report.pdf',
    {
      config: reader,
      schema: {
        tags: ['till'],
        summary: 'The stored PDF of a closing, verified against its SHA-256',
        params: TillSessionIdParams,
        // A Buffer payload bypasses serialisation; the schema documents the body and types the reply.
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...problems, 500: Problem },
      },
    },
    async (request, reply) => {
      const { actor } = actorOf(request);
      try {
        const { pdf, sha256, label } = await till.closingPdf(actor, request.params.tillSessionId);
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${label}.pdf"`)
          .header('repr-digest', `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`)
          .send(pdf);
      } catch (error) {
        if (error instanceof AppError && error.code === TillErrorCode.reportIntegrityFailed) {
          request.log.error({ tillSessionId: request.params.tillSessionId }, 'stored till report PDF does not match its SHA-256');
        }
        throw error;
      }
    },
  );
};
