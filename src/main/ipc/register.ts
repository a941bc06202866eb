/**
 * Registers one ipcMain handler per contract method. Every call passes three gates before a handler
 * runs: the sender is the station's own main frame, there is exactly one argument, and it matches the
 * method's schema. Whatever happens, the renderer gets a coded IpcResult; an unexpected exception is
 * logged in main and answered with INTERNAL and no detail.
 */
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { contractMethods, ipcChannel, type IpcArea, type IpcArgs, type IpcMethod, type IpcValue } from '../../shared/ipc/contract.js';
import { IpcErrorCode, ipcFail, type IpcResult } from '../../shared/ipc/result.js';
import type { Logger } from '../ports/logger.js';
import type { InvokeEventLike } from './sender.js';

export type IpcHandler<A extends IpcArea, M extends IpcMethod<A>> = (args: IpcArgs<A, M>) => Promise<IpcResult<IpcValue<A, M>>>;

/** A handler for every method of the contract; a missing one is a compile error in the composition root. */
export type IpcHandlers = { readonly [A in IpcArea]: { readonly [M in IpcMethod<A>]: IpcHandler<A, M> } };

/** The part of Electron's ipcMain used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterIpcOptions {
  readonly ipcMain: IpcMainLike;
  readonly handlers: IpcHandlers;
  readonly isTrustedSender: (event: InvokeEventLike) => boolean;
  readonly log: Logger;
}

const MAX_REPORTED_ERRORS = 5;

/** Where the argument is wrong, without echoing values (they may be passwords). */
function describeErrors(schema: TSchema, value: unknown): string {
  const errors = [...Value.Errors(schema, value)].slice(0, MAX_REPORTED_ERRORS);
  return errors.map((error) => `${error.instancePath === '' ? '(argument)' : error.instancePath} ${error.message}`).join('; ');
}

/** Returns a function that removes every registered handler again. */
export function registerIpcHandlers(options: RegisterIpcOptions): () => void {
  const channels: string[] = [];
  for (const { area, method, spec } of contractMethods()) {
    const channel = ipcChannel(area, method);
    const handler = (options.handlers[area] as Record<string, ((args: unknown) => Promise<IpcResult<unknown>>) | undefined>)[method];
    if (typeof handler !== 'function') throw new Error(`no IPC handler for ${channel}`);
    options.ipcMain.handle(channel, async (event, ...args): Promise<IpcResult<unknown>> => {
      if (!options.isTrustedSender(event)) {
        options.log.warn('IPC call from a foreign sender refused', { channel, url: event.senderFrame?.url ?? null });
        return ipcFail(IpcErrorCode.forbiddenSender, `${channel}: not accepted from this sender`);
      }
      if (args.length !== 1) {
        return ipcFail(IpcErrorCode.invalidArgument, `${channel}: expected exactly one argument, got ${args.length}`);
      }
      const [input] = args;
      if (!Value.Check(spec.args, input)) {
        return ipcFail(IpcErrorCode.invalidArgument, `${channel}: ${describeErrors(spec.args, input)}`);
      }
      try {
        return await handler(input);
      } catch (error) {
        options.log.error('IPC handler failed', { channel, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        return ipcFail(IpcErrorCode.internal, `${channel}: unexpected error`);
      }
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) options.ipcMain.removeHandler(channel);
  };
}
