import type { ErrorCode } from '../../../../src/shared/api/problem.js';
import { AppError } from '../../errors.js';

export type DirectoryErrorCode =
  | typeof ErrorCode.directoryUnavailable
  | typeof ErrorCode.directoryMisconfigured
  | typeof ErrorCode.directoryNotConfigured
  | typeof ErrorCode.directoryConfigInvalid;

/** A directory failure with a stable code; the routes and the CLI show it as it is. */
export class DirectoryError extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DirectoryError';
  }
}

const STATUS: Record<DirectoryErrorCode, number> = {
  DIRECTORY_UNAVAILABLE: 503,
  DIRECTORY_MISCONFIGURED: 503,
  DIRECTORY_NOT_CONFIGURED: 404,
  DIRECTORY_CONFIG_INVALID: 400,
};

/**
 * As an HTTP problem. 5xx details are not shown to clients (plugins/errors.ts), so the code carries the
 * meaning; the full message goes to the log and, for sign-ins, into the audit row.
 */
export function directoryProblem(error: DirectoryError): AppError {
  const status = STATUS[error.code];
  const shown = error.code === 'DIRECTORY_UNAVAILABLE' ? 'The directory cannot be reached; sign-in is not possible now. Try again shortly.' : status >= 500 ? 'The directory sign-in is not set up correctly; ask your administrator.' : error.message;
  return new AppError(status, error.code, shown);
}
