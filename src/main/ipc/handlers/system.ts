import { ipcOk } from '../../../shared/ipc/result.js';
import type { Station } from '../../services/station.js';
import type { IpcHandlers } from '../register.js';
import { withBackend } from './backend.js';

export function systemHandlers(station: Station): IpcHandlers['system'] {
  return {
    whoami: () => withBackend(station, (backend) => backend.system.whoami()),
    connectivity: async () => {
      await station.ready();
      return ipcOk({ state: station.connectivity() });
    },
  };
}
