import type { Station } from '../../services/station.js';
import type { StationPrinting } from '../../services/station-printing.js';
import type { IpcHandlers } from '../register.js';
import { authHandlers } from './auth.js';
import { printingHandlers } from './printing.js';
import { setupHandlers } from './setup.js';
import { systemHandlers } from './system.js';

export function createIpcHandlers(station: Station, printing: StationPrinting): IpcHandlers {
  return { setup: setupHandlers(station), auth: authHandlers(station), system: systemHandlers(station), printing: printingHandlers(printing) };
}
