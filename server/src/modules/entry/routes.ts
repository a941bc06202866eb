import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import {
  CheckInRequest,
  CheckInVerdict,
  CreateEntryListRequest,
  EntryConflict,
  EntryListIdParams,
  EntryListView,
  EntryStats,
  OfflineScansRequest,
  OfflineScansResult,
  ScanList,
  ScanListQuery,
} from '../../../../src/shared/api/entry.js';
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

  app.get(
    '/v1/entry-lists/:entryListId/scan-list',
    {
      config: loggedIn('entry.scan'),
      schema: { tags: ['entry'], summary: 'Offline scan list: keyed hashes of the barcodes (all, or changes since a cursor)', params: EntryListIdParams, querystring: ScanListQuery, response: { 200: ScanList, ...problems } },
    },
    async (request) => entry.scanList(actorOf(request).actor, request.params.entryListId, request.query.since),
  );

  app.post(
    '/v1/entry-lists/:entryListId/offline-scans',
    {
      config: loggedIn('entry.scan'),
      bodyLimit: 1024 * 1024,
      schema: { tags: ['entry'], summary: 'Upload scans decided offline; reconciled in scan order, conflicts recorded', params: EntryListIdParams, body: OfflineScansRequest, response: { 200: OfflineScansResult, ...problems } },
    },
    async (request) => entry.uploadOfflineScans(actorOf(request).actor, request.params.entryListId, request.body),
  );

  app.get(
    '/v1/entry-lists/:entryListId/conflicts',
    { config: loggedIn(), schema: { tags: ['entry'], summary: 'Double admissions found when offline scans were reconciled', params: EntryListIdParams, response: { 200: Type.Array(EntryConflict), ...problems } } },
    async (request) => entry.conflicts(actorOf(request).actor, request.params.entryListId),
  );
};
