import type { SafeStorage } from 'electron';
import type { SecretStore } from '../ports/secret-store.js';

/**
 * SecretStore on Electron's safeStorage: DPAPI on Windows (bound to the OS user), Keychain on macOS,
 * libsecret/kwallet on Linux. Linux without a keyring falls back to a hard-coded key ("basic_text"),
 * which protects nothing, so that case counts as unavailable and the station refuses to store the
 * passphrase instead of pretending.
 */
export function createSafeStorageSecretStore(safeStorage: SafeStorage, platform: NodeJS.Platform): SecretStore {
  return {
    isAvailable() {
      if (!safeStorage.isEncryptionAvailable()) return false;
      return platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
    },
    encrypt: (plainText) => safeStorage.encryptString(plainText),
    decrypt: (cipherText) => safeStorage.decryptString(Buffer.from(cipherText)),
  };
}
