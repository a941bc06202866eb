import { createCa, issueClientCertificate, issueServerCertificate } from '../../server/src/pki/x509.js';

export interface KeyPair {
  certPem: string;
  keyPem: string;
  fingerprint256: string;
  serialHex: string;
  notAfter: Date;
}

export interface TestPki {
  ca: { certPem: string; keyPem: string };
  server: KeyPair;
  foreignCa: { certPem: string; keyPem: string };
  client(name: string, options?: { foreign?: boolean; now?: Date; validityDays?: number }): Promise<KeyPair>;
}

/** A platform CA with a server certificate for localhost, and a foreign CA for negative tests. */
export async function createTestPki(now = new Date()): Promise<TestPki> {
  const ca = await createCa({ commonName: 'Test platform CA', validityDays: 30, now: new Date(now.getTime() - 86_400_000) });
  const foreignCa = await createCa({ commonName: 'Foreign CA', validityDays: 30, now: new Date(now.getTime() - 86_400_000) });
  const server = await issueServerCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 20, now });
  return {
    ca,
    server,
    foreignCa,
    client: (name, options = {}) =>
      issueClientCertificate(options.foreign === true ? foreignCa : ca, {
        commonName: name,
        organization: 'Test tenant',
        validityDays: options.validityDays ?? 20,
        now: options.now ?? now,
        kind: 'workstation',
      }),
  };
}
