import { Type, type Static, type TSchema } from 'typebox';
import type { ApiError, ApiResult } from '../api-client/errors.js';

/**
 * What every IPC call returns. Errors cross the boundary as codes; `message` is technical English for
 * logs and developer tools, never shown to people (the renderer's i18n turns codes into German texts).
 */
export const IpcError = Type.Object(
  {
    code: Type.String({ pattern: '^[A-Z][A-Z0-9_]{1,63}$' }),
    message: Type.String({ maxLength: 500 }),
    /** With SESSION_ENDED: why the session ended. */
    reason: Type.Optional(Type.String({ maxLength: 64 })),
    /** With LOGIN_THROTTLED / TOO_MANY_REQUESTS: when to try again. */
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0 })),
    /** With PASSWORD_REJECTED: ids of the rules the new password failed (src/shared/domain/password-rules.ts). */
    failedRules: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 })),
  },
  { additionalProperties: false },
);
export type IpcError = Static<typeof IpcError>;

export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: IpcError };

/** Schema of `IpcResult<Static<S>>`, for tests that hold main's answers against the contract. */
export function ipcResultSchema<S extends TSchema>(value: S) {
  return Type.Union([
    Type.Object({ ok: Type.Literal(true), value }, { additionalProperties: false }),
    Type.Object({ ok: Type.Literal(false), error: IpcError }, { additionalProperties: false }),
  ]);
}

/** Failures of the IPC layer itself (register.ts), before any handler runs. */
export const IpcErrorCode = {
  /** The call did not come from the station's own window and main frame. */
  forbiddenSender: 'IPC_FORBIDDEN_SENDER',
  /** The argument does not match the channel's schema; nothing was done. */
  invalidArgument: 'IPC_INVALID_ARGUMENT',
  /** A handler failed unexpectedly; details are in main's log only. */
  internal: 'INTERNAL',
} as const;

/** Failures of the station's own work: setup, certificate, configuration. */
export const StationErrorCode = {
  notConfigured: 'STATION_NOT_CONFIGURED',
  serverUrlInvalid: 'SERVER_URL_INVALID',
  certificateNotChosen: 'CERTIFICATE_NOT_CHOSEN',
  certificateFileTooLarge: 'CERTIFICATE_FILE_TOO_LARGE',
  certificateFileUnreadable: 'CERTIFICATE_FILE_UNREADABLE',
  p12Invalid: 'P12_INVALID',
  p12PassphraseWrong: 'P12_PASSPHRASE_WRONG',
  /** RC2/3DES-encrypted files (OpenSSL's -legacy, old Windows exports), which OpenSSL 3 refuses too. */
  p12UnsupportedEncryption: 'P12_UNSUPPORTED_ENCRYPTION',
  p12NoCaCertificate: 'P12_NO_CA_CERTIFICATE',
  p12NotClientCertificate: 'P12_NOT_CLIENT_CERTIFICATE',
  clientCertNotYetValid: 'CLIENT_CERT_NOT_YET_VALID',
  secureStorageUnavailable: 'SECURE_STORAGE_UNAVAILABLE',
  passphraseUndecryptable: 'PASSPHRASE_UNDECRYPTABLE',
  configInvalid: 'CONFIG_INVALID',
  configWriteFailed: 'CONFIG_WRITE_FAILED',
  /** The renderer asked for a backend route outside the station's allow-list (src/shared/ipc/api.ts). */
  apiRouteNotAllowed: 'API_ROUTE_NOT_ALLOWED',
} as const;

/** Carries an ApiError across IPC: the code and structured fields, nothing else. */
export function ipcErrorFromApi(error: ApiError): IpcError {
  return {
    code: error.code,
    message: error.message.slice(0, 500),
    ...(error.reason === undefined ? {} : { reason: error.reason }),
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    ...(error.failedRules === undefined ? {} : { failedRules: [...error.failedRules] }),
  };
}

export function ipcFromApi<T>(result: ApiResult<T>): IpcResult<T> {
  return result.ok ? { ok: true, value: result.value } : { ok: false, error: ipcErrorFromApi(result.error) };
}

export const ipcOk = <T>(value: T): IpcResult<T> => ({ ok: true, value });
export const ipcFail = <T = never>(code: string, message: string): IpcResult<T> => ({ ok: false, error: { code, message } });
