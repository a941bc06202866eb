import { ipcOk } from '../../../shared/ipc/result.js';
import type { Station } from '../../services/station.js';
import type { IpcHandlers } from '../register.js';

export function setupHandlers(station: Station): IpcHandlers['setup'] {
  return {
    getState: async () => {
      await station.ready();
      return ipcOk(station.setupState());
    },
    chooseCertificate: () => station.chooseCertificate(),
    importCertificate: (args) => station.importCertificate(args),
    saveSettings: (settings) => station.saveSettings(settings),
  };
}
