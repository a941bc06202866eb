import type { Station } from '../../services/station.js';
import type { IpcHandlers } from '../register.js';
import { withBackend } from './backend.js';

/** Login and session calls; the token stays in the backend client, the renderer gets session facts. */
export function authHandlers(station: Station): IpcHandlers['auth'] {
  return {
    login: (credentials) => withBackend(station, (backend) => backend.auth.login(credentials)),
    me: () => withBackend(station, (backend) => backend.auth.me()),
    logout: () => withBackend(station, (backend) => backend.auth.logout()),
    changePassword: (request) => withBackend(station, (backend) => backend.auth.changePassword(request)),
  };
}
