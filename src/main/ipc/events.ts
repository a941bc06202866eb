import { Value } from 'typebox/value';
import { IPC_EVENTS, ipcEventChannel, type IpcEventName, type IpcEventPayload } from '../../shared/ipc/contract.js';
import type { Logger } from '../ports/logger.js';
import type { UiEvents } from '../ports/ui-events.js';

/**
 * UiEvents on top of a raw `send(channel, payload)`: every payload is checked against the contract
 * before it leaves main, so a bug shows up as a log line instead of as a malformed event in the UI.
 */
export function createUiEvents(send: (channel: string, payload: unknown) => void, log: Logger): UiEvents {
  return {
    emit<E extends IpcEventName>(event: E, payload: IpcEventPayload<E>): void {
      if (!Value.Check(IPC_EVENTS[event], payload)) {
        log.error('event payload does not match the IPC contract; not sent', { event });
        return;
      }
      send(ipcEventChannel(event), payload);
    },
  };
}
