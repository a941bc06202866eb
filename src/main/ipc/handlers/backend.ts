import type { ApiResult } from '../../../shared/api-client/errors.js';
import { ipcFail, ipcFromApi, StationErrorCode, type IpcResult } from '../../../shared/ipc/result.js';
import type { BackendClient } from '../../services/backend-client.js';
import type { Station } from '../../services/station.js';

/** Runs a backend call for a handler, or answers STATION_NOT_CONFIGURED before the first setup. */
export async function withBackend<T>(station: Station, call: (backend: BackendClient) => Promise<ApiResult<T>>): Promise<IpcResult<T>> {
  await station.ready();
  const backend = station.backend();
  if (backend === undefined) return ipcFail(StationErrorCode.notConfigured, 'the station is not set up yet');
  return ipcFromApi(await call(backend));
}
