import { ClientErrorCode } from '../api-client/errors.js';
import { ErrorCode } from '../api/problem.js';
import { IpcErrorCode, StationErrorCode } from './result.js';
import { ENTRY_ERROR_CODES } from './entry.js';
import { PRINTING_ERROR_CODES } from './printing.js';

/**
 * Problem codes of the identity endpoints the station calls (server/src/modules/identity). Feature
 * areas (sales, printing, entry) add their own lists when their screens arrive.
 */
export const IDENTITY_PROBLEM_CODES = [
  'INVALID_CREDENTIALS',
  'LOGIN_THROTTLED',
  'INITIAL_PASSWORD_EXPIRED',
  'SESSION_REQUIRED',
  'SESSION_ENDED',
  'SESSION_EXPIRED',
  'SESSION_IDLE',
  'SESSION_CERT_MISMATCH',
  'PASSWORD_CHANGE_REQUIRED',
  'PASSWORD_REJECTED',
  'CURRENT_PASSWORD_WRONG',
  'FORBIDDEN',
  'BUSY_RETRY',
] as const;

/** Problem codes of the entry endpoints the gate calls (server/src/modules/entry) that reach the clerk. */
export const ENTRY_PROBLEM_CODES = ['REENTRY_NOT_ALLOWED', 'DUPLICATE_NONCE', 'SCAN_TIME_IN_FUTURE', 'IDEMPOTENCY_KEY_REUSED'] as const;

/** Every code the station's shell and setup can show; the renderer has a German and an English text for each. */
export const STATION_ERROR_CODES: readonly string[] = [
  ...new Set<string>([
    ...Object.values(IpcErrorCode),
    ...Object.values(StationErrorCode),
    ...Object.values(ClientErrorCode),
    ...Object.values(ErrorCode),
    ...IDENTITY_PROBLEM_CODES,
    ...PRINTING_ERROR_CODES,
    ...ENTRY_ERROR_CODES,
    ...ENTRY_PROBLEM_CODES,
  ]),
];
