import { constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SecureContextOptions, TlsOptions } from 'node:tls';
import { TLS_POLICY } from '../../src/shared/tls-policy.js';
import { ConfigError } from './config.js';

// The policy constants live in src/shared so that the station's backend client uses the very same ones.
export { TLS_POLICY };

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
