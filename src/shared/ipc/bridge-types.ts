import type { IpcArea, IpcArgs, IpcEventName, IpcEventPayload, IpcMethod, IpcValue } from './contract.js';
import type { IpcResult } from './result.js';

export type Unsubscribe = () => void;

type IsEmptyObject<T> = keyof T extends never ? true : false;

/** One bridge method: no parameter when the contract's argument is the empty object. */
export type IpcInvoker<A extends IpcArea, M extends IpcMethod<A>> =
  IsEmptyObject<IpcArgs<A, M>> extends true
    ? () => Promise<IpcResult<IpcValue<A, M>>>
    : (args: IpcArgs<A, M>) => Promise<IpcResult<IpcValue<A, M>>>;

export type BridgeInvokers = { readonly [A in IpcArea]: { readonly [M in IpcMethod<A>]: IpcInvoker<A, M> } };

/** One subscribe function per event; each returns its own unsubscribe. */
export type BridgeEvents = { readonly [E in IpcEventName]: (listener: (payload: IpcEventPayload<E>) => void) => Unsubscribe };
