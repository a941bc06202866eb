/**
 * The IPC contract between the renderer and the main process: one map of invoke channels (area →
 * method → argument schema and result schema) and one map of events (main → renderer). Main checks
 * every argument against `args` before a handler runs (src/main/ipc/register.ts); the preload builds
 * the bridge object from the same maps (src/preload/bridge.ts), so a channel exists on both sides or
 * on neither.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { ChangePasswordRequest, LoginRequest } from '../api/auth.js';
import { WhoAmI } from '../api/system.js';
import { PasswordChanged, SessionInfo } from '../api-client/session-info.js';
import { SetupState, ServerUrl, StationSettings, StationSetup } from './station-settings.js';
import { ENTRY_IPC, GateStatusSchema } from './entry.js';
import { PRINTING_IPC } from './printing.js';
import { API_IPC } from './api.js';

/** Methods without arguments still receive one value: an empty object, nothing more. */
const NoArgs = Type.Object({}, { additionalProperties: false });

export const Connectivity = Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown')]);
export type Connectivity = Static<typeof Connectivity>;

export interface IpcMethodSpec {
  readonly args: TSchema;
  readonly result: TSchema;
}

export const IPC_CONTRACT = {
  setup: {
    /** Whether the station is set up, and with what (never the passphrase). */
    getState: { args: NoArgs, result: SetupState },
    /** Opens the file dialog for the workstation's .p12; main keeps the bytes, the renderer gets the name. */
    chooseCertificate: { args: NoArgs, result: Type.Union([Type.Object({ fileName: Type.String() }, { additionalProperties: false }), Type.Null()]) },
    /** Opens the chosen .p12, proves it against the server (whoami over mutual TLS), then saves the setup. */
    importCertificate: {
      args: Type.Object(
        { serverUrl: ServerUrl, passphrase: Type.String({ minLength: 1, maxLength: 1024 }), settings: StationSettings },
        { additionalProperties: false },
      ),
      result: StationSetup,
    },
    /** Mode, printer and scanner of a station that is already set up. */
    saveSettings: { args: StationSettings, result: StationSetup },
  },
  auth: {
    login: { args: LoginRequest, result: SessionInfo },
    me: { args: NoArgs, result: SessionInfo },
    logout: { args: NoArgs, result: Type.Null() },
    changePassword: { args: ChangePasswordRequest, result: PasswordChanged },
  },
  system: {
    whoami: { args: NoArgs, result: WhoAmI },
    connectivity: { args: NoArgs, result: Type.Object({ state: Connectivity }, { additionalProperties: false }) },
  },
  printing: PRINTING_IPC,
  entry: ENTRY_IPC,
  /** Allow-listed backend requests for the screens (src/shared/ipc/api.ts). */
  api: API_IPC,
} as const satisfies Record<string, Record<string, IpcMethodSpec>>;

/** Reasons the server gives with SESSION_ENDED; the renderer has a text for each (and a fallback). */
export const SESSION_END_REASONS = [
  'superseded',
  'logout',
  'password_changed',
  'user_disabled',
  'rights_changed',
  'workstation_revoked',
  'ended_by_admin',
] as const;

const Code = Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,63}$' });

export const IPC_EVENTS = {
  /** A code read by a HID scanner in main (keyboard-wedge scans never leave the renderer). */
  scannerScan: Type.Object(
    {
      code: Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' }),
      source: Type.Literal('hid'),
      at: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
  /** The HID scanner: looking for it (also after an unplug), connected, or none in use; `code` says what went wrong. */
  scannerStatus: Type.Object(
    {
      state: Type.Union([Type.Literal('searching'), Type.Literal('connected'), Type.Literal('off')]),
      code: Type.Optional(Code),
    },
    { additionalProperties: false },
  ),
  printerStatus: Type.Object(
    {
      state: Type.Union([Type.Literal('ready'), Type.Literal('printing'), Type.Literal('offline'), Type.Literal('error'), Type.Literal('not-configured')]),
      code: Type.Optional(Code),
    },
    { additionalProperties: false },
  ),
  /** The entry gate: online/offline, list age, uploads pending (on every change and after each sync round). */
  entryStatus: GateStatusSchema,
  /** The session ended on the server (another login, logout elsewhere, expiry, revocation, …). */
  sessionEnded: Type.Object({ code: Code, reason: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' })) }, { additionalProperties: false }),
  connectivityChanged: Type.Object({ state: Type.Union([Type.Literal('online'), Type.Literal('offline')]) }, { additionalProperties: false }),
} as const satisfies Record<string, TSchema>;

export type IpcContract = typeof IPC_CONTRACT;
export type IpcArea = keyof IpcContract;
export type IpcMethod<A extends IpcArea> = Extract<keyof IpcContract[A], string>;
export type IpcArgsSchema<A extends IpcArea, M extends IpcMethod<A>> = IpcContract[A][M] extends { args: infer S extends TSchema } ? S : never;
export type IpcResultSchema<A extends IpcArea, M extends IpcMethod<A>> = IpcContract[A][M] extends { result: infer S extends TSchema } ? S : never;
export type IpcArgs<A extends IpcArea, M extends IpcMethod<A>> = Static<IpcArgsSchema<A, M>>;
export type IpcValue<A extends IpcArea, M extends IpcMethod<A>> = Static<IpcResultSchema<A, M>>;

export type IpcEventName = keyof typeof IPC_EVENTS;
export type IpcEventPayload<E extends IpcEventName> = Static<(typeof IPC_EVENTS)[E]>;

/** Names the bridge object uses itself; an area of the same name would shadow them. */
export const RESERVED_BRIDGE_KEYS = ['platform', 'versions', 'events'] as const;
// Compile-time guard: this line fails to type-check if an area is named like a reserved key.
export const AREAS_DO_NOT_SHADOW_BRIDGE_KEYS: Extract<IpcArea, (typeof RESERVED_BRIDGE_KEYS)[number]> extends never ? true : never = true;

export function ipcChannel(area: string, method: string): string {
  return `boxoffice:${area}.${method}`;
}

export function ipcEventChannel(event: string): string {
  return `boxoffice-event:${event}`;
}

/** Every (area, method) pair of the contract, for code that registers or exposes all of them. */
export function contractMethods(): Array<{ area: IpcArea; method: string; spec: IpcMethodSpec }> {
  return Object.entries(IPC_CONTRACT).flatMap(([area, methods]) =>
    Object.entries(methods as Record<string, IpcMethodSpec>).map(([method, spec]) => ({ area: area as IpcArea, method, spec })),
  );
}
