import { ipcErrorFromApi, ipcFail, ipcOk } from '../../../shared/ipc/result.js';
import type { StationEntry } from '../../services/station-entry.js';
import type { IpcHandlers } from '../register.js';

export function entryHandlers(entry: StationEntry): IpcHandlers['entry'] {
  return {
    lists: async (args) => {
      const lists = await entry.lists(args.eventId);
      return lists.ok ? ipcOk(lists.value) : { ok: false, error: ipcErrorFromApi(lists.error) };
    },
    open: async (args) => {
      const opened = await entry.open(args.entryListId, args.gate);
      return opened.ok ? ipcOk(opened.value) : ipcFail(opened.error.code, opened.error.message);
    },
    scan: async (args) => {
      const decided = await entry.scan(args.code, args.direction);
      return decided.ok ? ipcOk(decided.value) : ipcFail(decided.error.code, decided.error.message);
    },
    status: async () => ipcOk(entry.status()),
    close: async () => ipcOk(await entry.close()),
  };
}
