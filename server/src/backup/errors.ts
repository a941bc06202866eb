/** Failures an operator can act on; the CLI shows them as one line (exit 1, or 2 for usage/config). */
export type BackupErrorCode =
  | 'BACKUP_FAILED'
  | 'BACKUP_ROLE_INSUFFICIENT'
  | 'BACKUP_MANIFEST_INVALID'
  | 'BACKUP_CORRUPT'
  | 'BACKUP_KEY_WRONG'
  | 'BACKUP_TARGET_NOT_EMPTY'
  | 'BACKUP_MISMATCH';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackupError';
  }
}
