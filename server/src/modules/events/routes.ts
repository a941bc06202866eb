import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import {
  CategoryIdParams,
  CategoryView,
  ChangeEventStatusRequest,
  CreateCategoryRequest,
  CreateEventRequest,
  CreateSeatsRequest,
  CreateSeatsResponse,
  CreateVariantRequest,
  CreateVenueRequest,
  EventDetail,
  EventIdParams,
  EventSearchQuery,
  EventSummary,
  OutletDirectoryEntry,
  PutSalesRightRequest,
  SalesRightParams,
  SalesRightView,
  SeatMap,
  UpdateCategoryRequest,
  UpdateEventRequest,
  VariantView,
  VenueView,
} from '../../../../src/shared/api/events.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import type { Clock } from '../../clock.js';
import { AppError } from '../../errors.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import type { EventViewer } from './repository.js';
import { createEventsService, type EventCaller, type EventSettings } from './service.js';
import { eventStatsRoutes } from './stats-routes.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem };
const manage = loggedIn('events.manage');
const tags = ['events'];

function callerOf(request: FastifyRequest): EventCaller {
  const { actor } = actorOf(request);
  return { actor, tenantKind: request.workstation?.tenant.kind ?? 'outlet' };
}

/**
 * The read routes serve both sides, so they declare a session and check the right here: a promoter's
 * staff need events.manage (they see their own events), an outlet's staff sales.sell (they see the
 * published events their outlet may sell). The operator has no view of events.
 */
function viewerOf(request: FastifyRequest): EventViewer {
  const { actor, tenantKind } = callerOf(request);
  if (tenantKind === 'promoter') {
    if (!actor.permissions.has('events.manage')) throw new AppError(403, 'FORBIDDEN', 'This needs the right events.manage.');
    return { kind: 'promoter', tenantId: actor.tenantId };
  }
  if (tenantKind === 'outlet') {
    if (!actor.permissions.has('sales.sell')) throw new AppError(403, 'FORBIDDEN', 'This needs the right sales.sell.');
    return { kind: 'outlet', tenantId: actor.tenantId };
  }
  throw new AppError(403, 'FORBIDDEN', 'Events are shown to promoters and selling outlets.');
}

/**
 * Venues, events, price categories and variants, seats and the seat map, sales rights. Promoter-side
 * writes need events.manage and act only on the caller's own events; an event of another tenant is
 * answered exactly like a missing one.
 */
export const eventRoutes: FastifyPluginAsyncTypebox<{ knex: Knex; clock: Clock; settings?: Partial<EventSettings> }> = async (app, deps) => {
  const events = createEventsService({ knex: deps.knex, clock: deps.clock, ...(deps.settings === undefined ? {} : { settings: deps.settings }) });
  await app.register(eventStatsRoutes, { knex: deps.knex });

  app.post('/v1/venues', { config: manage, schema: { tags, body: CreateVenueRequest, response: { 201: VenueView, ...problems } } }, async (request, reply) =>
    reply.code(201).send(await events.createVenue(callerOf(request), request.body)),
  );

  app.get('/v1/venues', { config: manage, schema: { tags, response: { 200: Type.Array(VenueView), ...problems } } }, async (request) => events.listVenues(callerOf(request)));

  app.post('/v1/events', { config: manage, schema: { tags, body: CreateEventRequest, response: { 201: EventDetail, ...problems } } }, async (request, reply) =>
    reply.code(201).send(await events.createEvent(callerOf(request), request.body)),
  );

  app.get(
    '/v1/events',
    {
      config: loggedIn(),
      schema: { tags, summary: 'Find performances (type-ahead); today and later unless asked otherwise', querystring: EventSearchQuery, response: { 200: Type.Array(EventSummary), ...problems } },
    },
    async (request) => events.search(viewerOf(request), request.query),
  );

  app.get('/v1/events/:eventId', { config: loggedIn(), schema: { tags, params: EventIdParams, response: { 200: EventDetail, ...problems } } }, async (request) =>
    events.get(viewerOf(request), request.params.eventId),
  );

  app.patch('/v1/events/:eventId', { config: manage, schema: { tags, params: EventIdParams, body: UpdateEventRequest, response: { 200: EventDetail, ...problems } } }, async (request) =>
    events.updateEvent(callerOf(request), request.params.eventId, request.body),
  );

  app.post(
    '/v1/events/:eventId/status',
    { config: manage, schema: { tags, summary: 'draft → on_sale, on_sale ↔ sales_stopped, any → cancelled (final)', params: EventIdParams, body: ChangeEventStatusRequest, response: { 200: EventDetail, ...problems } } },
    async (request) => events.changeStatus(callerOf(request), request.params.eventId, request.body),
  );

  app.post(
    '/v1/events/:eventId/categories',
    { config: manage, schema: { tags, params: EventIdParams, body: CreateCategoryRequest, response: { 201: CategoryView, ...problems } } },
    async (request, reply) => reply.code(201).send(await events.createCategory(callerOf(request), request.params.eventId, request.body)),
  );

  app.patch(
    '/v1/events/:eventId/categories/:categoryId',
    { config: manage, schema: { tags, params: CategoryIdParams, body: UpdateCategoryRequest, response: { 200: CategoryView, ...problems } } },
    async (request) => events.updateCategory(callerOf(request), request.params.eventId, request.params.categoryId, request.body),
  );

  app.post(
    '/v1/events/:eventId/categories/:categoryId/variants',
    { config: manage, schema: { tags, params: CategoryIdParams, body: CreateVariantRequest, response: { 201: VariantView, ...problems } } },
    async (request, reply) => reply.code(201).send(await events.createVariant(callerOf(request), request.params.eventId, request.params.categoryId, request.body)),
  );

  app.post(
    '/v1/events/:eventId/seats',
    { config: manage, schema: { tags, summary: 'Create seats from a compact definition (all or nothing)', params: EventIdParams, body: CreateSeatsRequest, response: { 201: CreateSeatsResponse, ...problems } } },
    async (request, reply) => reply.code(201).send(await events.createSeats(callerOf(request), request.params.eventId, request.body.definition)),
  );

  app.get('/v1/events/:eventId/seatmap', { config: loggedIn(), schema: { tags, params: EventIdParams, response: { 200: SeatMap, ...problems } } }, async (request) =>
    events.seatMap(viewerOf(request), request.params.eventId),
  );

  app.get(
    '/v1/events/:eventId/outlets',
    { config: manage, schema: { tags, summary: 'Outlets this event can be granted to', params: EventIdParams, response: { 200: Type.Array(OutletDirectoryEntry), ...problems } } },
    async (request) => events.outletsFor(callerOf(request), request.params.eventId),
  );

  app.get('/v1/events/:eventId/sales-rights', { config: manage, schema: { tags, params: EventIdParams, response: { 200: Type.Array(SalesRightView), ...problems } } }, async (request) =>
    events.listSalesRights(callerOf(request), request.params.eventId),
  );

  app.put(
    '/v1/events/:eventId/sales-rights/:outletId',
    { config: manage, schema: { tags, summary: 'Grant or update an outlet’s right to sell, with its quotas', params: SalesRightParams, body: PutSalesRightRequest, response: { 200: SalesRightView, 201: SalesRightView, ...problems } } },
    async (request, reply) => {
      const result = await events.putSalesRight(callerOf(request), request.params.eventId, request.params.outletId, request.body);
      return reply.code(result.created ? 201 : 200).send(result.view);
    },
  );

  app.delete(
    '/v1/events/:eventId/sales-rights/:outletId',
    { config: manage, schema: { tags, summary: 'Revoke a sales right (refused while the outlet holds valid tickets)', params: SalesRightParams, response: { 204: Type.Null(), ...problems } } },
    async (request, reply) => {
      await events.revokeSalesRight(callerOf(request), request.params.eventId, request.params.outletId);
      return reply.code(204).send(null);
    },
  );
};
