/** Stable codes, so the CLI and HTTP layers can map PKI failures without parsing messages. */
export type PkiErrorCode =
  | 'PKI_INVALID_INPUT'
  | 'PKI_INVALID_PEM'
  | 'PKI_NOT_A_CA'
  | 'PKI_CA_KEY_MISMATCH'
  | 'PKI_UNSUPPORTED_KEY'
  | 'PKI_VALIDITY_EXCEEDS_CA'
  | 'PKCS12_WEAK_PASSPHRASE'
  | 'PKCS12_KEY_MISMATCH';

export class PkiError extends Error {
  constructor(
    readonly code: PkiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PkiError';
  }
}
