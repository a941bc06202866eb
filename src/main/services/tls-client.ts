import { constants } from 'node:crypto';
import type { SecureContextOptions } from 'node:tls';
import { TLS_POLICY } from '../../shared/tls-policy.js';

/**
 * The server's TLS policy (src/shared/tls-policy.ts) as client options: the station offers exactly
 * the versions, suites, curves and signature algorithms the server accepts, so a server configured
 * below the policy fails the handshake (TLS_MISMATCH) instead of being talked to.
 */
export function clientTlsPolicyOptions(): SecureContextOptions {
  return {
    minVersion: TLS_POLICY.minVersion,
    maxVersion: TLS_POLICY.maxVersion,
    ciphers: [...TLS_POLICY.tls13Suites, ...TLS_POLICY.tls12Suites].join(':'),
    ecdhCurve: TLS_POLICY.curves.join(':'),
    sigalgs: TLS_POLICY.signatureAlgorithms.join(':'),
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION,
  };
}
