/**
 * Builds the one object the renderer gets, from the IPC contract alone: one function per contract
 * method and one subscribe function per event, nothing else. Kept free of the electron module (it
 * receives ipcRenderer) so tests can prove the shape under plain Node.
 */
import type { BridgeEvents, BridgeInvokers, Unsubscribe } from '../shared/ipc/bridge-types.js';
import { contractMethods, IPC_EVENTS, ipcChannel, ipcEventChannel } from '../shared/ipc/contract.js';
import { readAppVersion } from './app-version.js';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

type AnyInvoker = (args?: unknown) => Promise<unknown>;
type AnySubscribe = (listener: (payload: unknown) => void) => Unsubscribe;

function buildInvokers(ipc: IpcRendererLike): BridgeInvokers {
  const areas: Record<string, Record<string, AnyInvoker>> = {};
  for (const { area, method } of contractMethods()) {
    const channel = ipcChannel(area, method);
    // Exactly one argument travels, always: main refuses any other count.
    (areas[area] ??= {})[method] = (args?: unknown) => ipc.invoke(channel, args ?? {});
  }
  return areas as unknown as BridgeInvokers;
}

function buildEvents(ipc: IpcRendererLike): BridgeEvents {
  const events: Record<string, AnySubscribe> = {};
  for (const name of Object.keys(IPC_EVENTS)) {
    const channel = ipcEventChannel(name);
    events[name] = (listener) => {
      if (typeof listener !== 'function') throw new TypeError(`events.${name}: listener must be a function`);
      // Only the payload reaches the page; the IpcRendererEvent carries `sender`, i.e. ipcRenderer itself.
      const forward = (_event: unknown, payload: unknown): void => {
        listener(payload);
      };
      ipc.on(channel, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(channel, forward);
      };
    };
  }
  return events as unknown as BridgeEvents;
}

export function buildBridge(ipc: IpcRendererLike, argv: readonly string[]) {
  return {
    platform: 'electron' as const,
    versions: { app: readAppVersion(argv) },
    ...buildInvokers(ipc),
    events: buildEvents(ipc),
  };
}
