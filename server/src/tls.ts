import { constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { ConfigError } from './config.js';

/**
 * TLS policy after BSI TR-02102-2: TLS 1.2 and 1.3 only; TLS 1.3 with the AES-GCM suites; TLS 1.2 with
 * forward-secret ECDHE and AES-GCM only (no CBC, no ChaCha20, no static RSA key exchange); key exchange on
 * the NIST curves P-384 and P-256; handshake signatures ECDSA or RSA-PSS with SHA-2 (no SHA-1, no
 * PKCS#1 v1.5, which the guideline no longer accepts after 2025). Renegotiation is off.
 *
 * Deliberate deviation: TR-02102-2 also allows the Brainpool curves and AES-CCM suites; we leave them out
 * because the product's clients (Node's OpenSSL in the station, Chromium for back office) do not need them.
 */
export const TLS_POLICY = {
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3',
  tls13Suites: ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'],
  tls12Suites: [
    'ECDHE-ECDSA-AES256-GCM-SHA384',
    'ECDHE-ECDSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-RSA-AES128-GCM-SHA256',
  ],
  curves: ['P-384', 'P-256'],
  signatureAlgorithms: [
    'ecdsa_secp384r1_sha384',
    'ecdsa_secp256r1_sha256',
    'rsa_pss_rsae_sha384',
    'rsa_pss_rsae_sha256',
    'rsa_pss_rsae_sha512',
    'rsa_pss_pss_sha384',
    'rsa_pss_pss_sha256',
    'rsa_pss_pss_sha512',
  ],
} as const;

/** Options shared by the server and the station's backend client, so both ends keep one policy. */
export function tlsPolicyOptions(): SecureContextOptions & Pick<TlsOptions, 'honorCipherOrder'> {
  return {
    minVersion: TLS_POLICY.minVersion,
    maxVersion: TLS_POLICY.maxVersion,
    ciphers: [...TLS_POLICY.tls13Suites, ...TLS_POLICY.tls12Suites].join(':'),
    ecdhCurve: TLS_POLICY.curves.join(':'),
    sigalgs: TLS_POLICY.signatureAlgorithms.join(':'),
    honorCipherOrder: true,
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION,
  };
}

export interface TlsMaterial {
  cert: string;
  key: string;
  ca: string;
}

export function loadTlsMaterial(files: { certFile: string; keyFile: string; caFile: string }): TlsMaterial {
  const read = (what: string, file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(`${what} ${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? 'error'})`}; run "npm run cli -- ca init" or set the file in the configuration`);
    }
  };
  return {
    cert: read('TLS certificate file', files.certFile),
    key: read('TLS key file', files.keyFile),
    ca: read('CA certificate file', files.caFile),
  };
}

/** Server options: mutual TLS is requested on every connection; routes decide whether it is required. */
export function serverTlsOptions(material: TlsMaterial): TlsOptions {
  return {
    ...tlsPolicyOptions(),
    cert: material.cert,
    key: material.key,
    ca: material.ca,
    requestCert: true,
    // Health probes of a load balancer come without a certificate; the API refuses such requests itself
    // (see plugins/client-cert.ts), so a missing or foreign certificate still never reaches a handler.
    rejectUnauthorized: false,
  };
}
