import { Type } from 'typebox';
import { isAllowedApiRoute } from '../../../shared/ipc/api.js';
import { ipcFail, StationErrorCode } from '../../../shared/ipc/result.js';
import type { Station } from '../../services/station.js';
import type { IpcHandlers } from '../register.js';
import { withBackend } from './backend.js';

/**
 * The renderer's generic backend request (src/shared/ipc/api.ts): the route must be on the allow-list,
 * the token and certificate stay here. The answer's shape is checked in the renderer against the
 * shared contract schema it asked with (main does not hold per-route schemas; it only forwards).
 */
export function apiHandlers(station: Station): IpcHandlers['api'] {
  return {
    request: async (args) => {
      if (!isAllowedApiRoute(args.method, args.path)) return ipcFail(StationErrorCode.apiRouteNotAllowed, `${args.method} ${args.path} is not on the station's route list`);
      return withBackend(station, (backend) =>
        backend.http.request({
          method: args.method,
          path: args.path,
          ...(args.query === undefined ? {} : { query: args.query }),
          ...(args.body === undefined ? {} : { body: args.body }),
          response: args.expectBody ? Type.Unknown() : null,
          auth: 'session',
          ...(args.idempotent === true ? { idempotent: true } : {}),
        }),
      );
    },
  };
}
