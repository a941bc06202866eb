import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretStore } from '../../../src/main/ports/secret-store.js';

/**
 * Stands in for Electron's safeStorage: real encryption (AES-256-GCM) under a key that lives only in
 * this object, like DPAPI's key bound to the OS user. `available: false` models a machine without one.
 */
export function createFakeSecretStore(options: { available?: boolean; key?: Buffer } = {}): SecretStore & { readonly key: Buffer } {
  // A given key stands for the same OS user in another process (the entry crash test's child).
  const key = options.key ?? randomBytes(32);
  return {
    key,
    isAvailable: () => options.available ?? true,
    encrypt(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(cipherText) {
      const data = Buffer.from(cipherText);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
