/**
 * Encryption bound to the operating-system user (Electron's safeStorage: DPAPI on Windows, Keychain on
 * macOS, libsecret/kwallet on Linux). The .p12 passphrase is stored only in this form; tests use an
 * equivalent in-memory implementation.
 */
export interface SecretStore {
  /** False when no OS-backed key is available; then nothing secret may be saved at all. */
  isAvailable(): boolean;
  encrypt(plainText: string): Uint8Array;
  /** Throws when the data was encrypted under another user or machine key. */
  decrypt(cipherText: Uint8Array): string;
}
