import type { IpcEventName, IpcEventPayload } from '../../shared/ipc/contract.js';

/** Pushes an event of the IPC contract to the station window (no-op while there is none). */
export interface UiEvents {
  emit<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void;
}
