import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, type Problem } from '../../../src/shared/api/problem.js';
import { AppError } from '../errors.js';
import { DatabaseUnavailableError } from '../db/database.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Omit<Problem, 'type' | 'title' | 'requestId' | 'instance'> & { title?: string }): FastifyReply {
  const body: Problem = {
    type: `urn:boxoffice:problem:${problem.code.toLowerCase()}`,
    title: problem.title ?? TITLES[problem.status] ?? 'Error',
    status: problem.status,
    code: problem.code,
    requestId: request.id,
    instance: request.url.split('?')[0] ?? request.url,
  };
  if (problem.detail !== undefined) body.detail = problem.detail;
  if (problem.errors !== undefined) body.errors = problem.errors;
  if (problem.retryAfterSeconds !== undefined) {
    body.retryAfterSeconds = problem.retryAfterSeconds;
    void reply.header('retry-after', String(problem.retryAfterSeconds));
  }
  if (problem.reason !== undefined) body.reason = problem.reason;
  if (problem.failedRules !== undefined) body.failedRules = problem.failedRules;
  if (problem.until !== undefined) body.until = problem.until;
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(body);
}

// Connection-level failures of PostgreSQL (server gone, too many clients, shutting down) are answered 503
// so that clients retry instead of treating the request as refused.
const PG_UNAVAILABLE = /^(08|57P0|53300)/;

// Lock timeout, deadlock, serialization failure: the transaction was rolled back and may be retried.
function isContention(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '55P03' || code === '40P01' || code === '40001';
}

// The database's last word on a payment into a closed till (trigger payments_refuse_closed_till): the
// services check first, so this only answers a race they lost, but it must not surface as a 500.
function isClosedTillPayment(error: unknown): boolean {
  const e = error as { code?: unknown; where?: unknown; message?: unknown };
  if (e.code !== '23514') return false;
  const where = typeof e.where === 'string' ? e.where : '';
  const message = typeof e.message === 'string' ? e.message : '';
  return where.includes('payments_refuse_closed_till') || /till session \S+ is closed/.test(message);
}

// Socket-level failures on the way to the database server.
const SOCKET_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// Errors without a code that mean the same: knex's pool timeout, and pg's connection that died under a
// query (server killed or restarted: "Connection terminated unexpectedly") or was used after dying.
const UNAVAILABLE_MESSAGE = /Timeout acquiring a connection|Connection terminated|Client has encountered a connection error|Client was closed and is not queryable/;

function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return PG_UNAVAILABLE.test(code) || SOCKET_UNAVAILABLE.has(code);
}

/** Every error leaves the server as problem JSON with a stable code; 5xx texts never reach the client. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return sendProblem(reply, request, { status: error.status, code: error.code, detail: error.message, ...error.extra });
    }
    if (error.validation !== undefined) {
      const errors = error.validation.slice(0, 20).map((v) => ({
        path: `${error.validationContext ?? 'body'}${v.instancePath || ''}`,
        message: v.message ?? 'invalid',
      }));
      return sendProblem(reply, request, { status: 400, code: ErrorCode.validationFailed, detail: 'The request does not match the schema.', errors });
    }
    if (isContention(error)) {
      return sendProblem(reply, request, { status: 503, code: 'BUSY_RETRY', detail: 'Too many simultaneous requests for the same seats or tickets; nothing was changed. Retry in a moment.', retryAfterSeconds: 1 });
    }
    if (isClosedTillPayment(error)) {
      return sendProblem(reply, request, { status: 409, code: 'TILL_NOT_OPEN', detail: 'The till was closed meanwhile; nothing was booked. Open the till and try again.' });
    }
    if (isDatabaseUnavailable(error)) {
      request.log.error({ err: error }, 'database unavailable');
      return sendProblem(reply, request, { status: 503, code: ErrorCode.databaseUnavailable, detail: 'The database is not reachable; retry shortly.' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code =
        status === 413 ? ErrorCode.payloadTooLarge
        : status === 415 ? ErrorCode.unsupportedMediaType
        : status === 429 ? ErrorCode.tooManyRequests
        : status === 405 ? ErrorCode.methodNotAllowed
        : ErrorCode.validationFailed;
      return sendProblem(reply, request, { status, code, detail: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, request, { status: 500, code: ErrorCode.internal, detail: 'An internal error occurred. Quote the request id when reporting it.' });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, { status: 404, code: ErrorCode.notFound, detail: `No route for ${request.method} ${request.url.split('?')[0] ?? ''}` }),
  );
}
