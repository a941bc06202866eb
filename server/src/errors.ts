import { ErrorCode, type Problem } from '../../src/shared/api/problem.js';

export type ProblemExtra = Pick<Problem, 'errors' | 'retryAfterSeconds' | 'reason' | 'failedRules' | 'until'>;

/**
 * An error whose status, code and message may be shown to the client. Anything else that escapes a
 * handler is answered as a 500 with a generic text; its message goes to the log only.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: ProblemExtra = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'Resource'): AppError => new AppError(404, ErrorCode.notFound, `${what} not found`);
