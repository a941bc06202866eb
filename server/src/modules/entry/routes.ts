import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { CheckInRequest, CheckInVerdict, CreateEntryListRequest, EntryListIdParams, EntryListView, EntryStats } from '../../../../src/shared/api/entry.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import type { Clock } from '../../clock.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import { createEntryService } from './service.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem, 503: Problem };

/**
 * Entry control. Entry lists are set up by whoever manages the promoter's events (events.manage); gates
 * scan with entry.scan. Lists and live figures are read with either right (the service checks).
 */
export const entryRoutes: FastifyPluginAsyncTypebox<{ knex: Knex; clock: Clock }> = async (app, { knex, clock }) => {
  const entry = createEntryService({ knex, clock });

  app.post(
    '/v1/entry-lists',
    {
      config: loggedIn('events.manage'),
      schema: { tags: ['entry'], summary: 'Create an entry list for an event (all or some categories, validity, re-entry)', body: CreateEntryListRequest, response: { 201: EntryListView, ...problems } },
    },
    async (request, reply) => reply.code(201).send(await entry.createList(actorOf(request).actor, request.body)),
  );

  app.get(
    '/v1/entry-lists',
    {
      config: loggedIn(),
      schema: { tags: ['entry'], summary: 'Entry lists of the promoter, optionally of one event', querystring: Type.Object({ eventId: Type.Optional(Type.String({ format: 'uuid' })) }, { additionalProperties: false }), response: { 200: Type.Array(EntryListView), ...problems } },
    },
    async (request) => entry.lists(actorOf(request).actor, request.query.eventId),
  );

  app.get(
    '/v1/entry-lists/:entryListId/stats',
    { config: loggedIn(), schema: { tags: ['entry'], summary: 'Live entry figures per gate', params: EntryListIdParams, response: { 200: EntryStats, ...problems } } },
    async (request) => entry.stats(actorOf(request).actor, request.params.entryListId),
  );

  app.post(
    '/v1/check-ins',
    {
      config: loggedIn('entry.scan'),
      schema: { tags: ['entry'], summary: 'Check a scanned code in (or out) at a gate; a replayed nonce returns the first verdict', body: CheckInRequest, response: { 200: CheckInVerdict, ...problems } },
    },
    async (request, reply) => {
      const result = await entry.checkIn(actorOf(request).actor, request.body);
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(200).send(result.body);
    },
  );
};
