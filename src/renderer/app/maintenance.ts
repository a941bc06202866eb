/**
 * The platform's maintenance window as the shell shows it (GET /api/v1/system/status, answered to every
 * workstation): a lasting banner while a window is active or starts within the next hour.
 */
import { SystemStatus, type MaintenanceView } from '../../shared/api/maintenance.js';
import type { Backend } from '../lib/backend.js';

/** How often the shell asks again. */
export const MAINTENANCE_POLL_MS = 60_000;
/** A scheduled window is announced this long before it starts. */
export const MAINTENANCE_ANNOUNCE_MS = 60 * 60_000;

export function maintenanceApi(backend: Backend) {
  return {
    status: () => backend.request({ method: 'GET', path: '/api/v1/system/status', response: SystemStatus }),
  };
}

/** What the banner shows; undefined when there is nothing to announce. */
export interface MaintenanceNoticeData {
  readonly active: boolean;
  readonly message: string;
  readonly from: Date;
  readonly until: Date | null;
}

/**
 * The window to show: active now, or starting within the next hour by the server's clock (the station's
 * clock may be off; the server decides when sales stop).
 */
export function maintenanceToShow(status: SystemStatus): MaintenanceNoticeData | undefined {
  const window: MaintenanceView = status.maintenance;
  if (window.from === null || window.message === null) return undefined;
  const from = new Date(window.from);
  const until = window.until === null ? null : new Date(window.until);
  const serverNow = Date.parse(status.serverTime);
  if (until !== null && until.getTime() <= serverNow) return undefined;
  if (!window.active && from.getTime() - serverNow > MAINTENANCE_ANNOUNCE_MS) return undefined;
  return { active: window.active, message: window.message, from, until };
}
