import { PkiError } from './errors.js';

export const MIN_PASSPHRASE_LENGTH = 8;

/** The one rule every passphrase-protected export (PKCS#12, encrypted PKCS#8) enforces. */
export function assertStrongPassphrase(passphrase: string): void {
  // Counted in code points, so that characters outside the BMP count once.
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) {
    throw new PkiError('PKCS12_WEAK_PASSPHRASE', `The passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
}
