import type { Station } from '../../services/station.js';
import type { StationEntry } from '../../services/station-entry.js';
import type { StationPrinting } from '../../services/station-printing.js';
import type { IpcHandlers } from '../register.js';
import { apiHandlers } from './api.js';
import { authHandlers } from './auth.js';
import { entryHandlers } from './entry.js';
import { printingHandlers } from './printing.js';
import { setupHandlers } from './setup.js';
import { systemHandlers } from './system.js';

export function createIpcHandlers(station: Station, printing: StationPrinting, entry: StationEntry): IpcHandlers {
  return {
    setup: setupHandlers(station),
    auth: authHandlers(station),
    system: systemHandlers(station),
    printing: printingHandlers(printing),
    entry: entryHandlers(entry),
    api: apiHandlers(station),
  };
}
