import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DirectoryConfigRequest, DirectoryConfigResponse, DirectorySyncReport, GroupMappingsRequest, GroupMappingsView } from '../../../../src/shared/api/directory.js';
import { Problem } from '../../../../src/shared/api/problem.js';
import { loggedIn } from '../../plugins/session-auth.js';
import { actorOf } from '../identity/actor.js';
import { DirectoryError, directoryProblem } from './errors.js';
import type { DirectoryService } from './service.js';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 503: Problem };
// Who signs in and with which rights is user administration: the same right as managing users.
const manage = loggedIn('users.manage');

async function coded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DirectoryError) throw directoryProblem(error);
    throw error;
  }
}

/** The acting tenant's directory settings, its group → rights mapping, and an on-demand sync. */
export const directoryRoutes: FastifyPluginAsyncTypebox<{ directory: DirectoryService }> = async (app, { directory }) => {
  app.get('/v1/directory/config', { config: manage, schema: { tags: ['directory'], response: { 200: DirectoryConfigResponse, ...problems } } }, async (request) => ({
    config: await coded(() => directory.getConfig(actorOf(request).actor)),
  }));

  app.put(
    '/v1/directory/config',
    { config: manage, schema: { tags: ['directory'], summary: 'Set the directory for sign-in (the bind password is write-only)', body: DirectoryConfigRequest, response: { 200: DirectoryConfigResponse, ...problems } } },
    async (request) => ({ config: await coded(() => directory.setConfig(actorOf(request).actor, request.body)) }),
  );

  app.get('/v1/directory/mappings', { config: manage, schema: { tags: ['directory'], response: { 200: GroupMappingsView, ...problems } } }, async (request) =>
    coded(() => directory.getMappings(actorOf(request).actor)),
  );

  app.put(
    '/v1/directory/mappings',
    { config: manage, schema: { tags: ['directory'], summary: 'Replace the group → rights mapping', body: GroupMappingsRequest, response: { 200: GroupMappingsView, ...problems } } },
    async (request) => coded(() => directory.setMappings(actorOf(request).actor, request.body.mappings)),
  );

  app.post(
    '/v1/directory/sync',
    { config: manage, schema: { tags: ['directory'], summary: 'Compare every directory user with the directory now', response: { 200: DirectorySyncReport, ...problems } } },
    async (request) => coded(() => directory.sync(actorOf(request).actor.tenantId)),
  );
};
