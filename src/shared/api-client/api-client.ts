import { createAuthApi, createSystemApi, type AuthApi, type SystemApi } from './auth-api.js';
import { createHttpClient, type HttpClient, type HttpClientDeps } from './http-client.js';
import { createMemorySessionStore, type SessionTokenStore } from './session-store.js';

export interface ApiClient {
  /** Generic typed requests, for feature areas (sales, printing, entry) that build on this client. */
  readonly http: HttpClient;
  readonly auth: AuthApi;
  readonly system: SystemApi;
}

export type ApiClientDeps = Omit<HttpClientDeps, 'session'> & { readonly session?: SessionTokenStore };

/**
 * The typed API client shared by the station's main process (node:https with the workstation
 * certificate) and the browser back office (window.fetch with the browser's certificate).
 */
export function createApiClient(deps: ApiClientDeps): ApiClient {
  const session = deps.session ?? createMemorySessionStore();
  const http = createHttpClient({ ...deps, session });
  return { http, auth: createAuthApi(http, session), system: createSystemApi(http) };
}
