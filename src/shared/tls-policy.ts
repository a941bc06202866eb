/**
 * TLS policy after BSI TR-02102-2, shared by the server (server/src/tls.ts) and the station's backend
 * client (src/main/services/tls-client.ts), so both ends keep one policy: TLS 1.2 and 1.3 only; TLS 1.3
 * with the AES-GCM suites; TLS 1.2 with forward-secret ECDHE and AES-GCM only (no CBC, no ChaCha20, no
 * static RSA key exchange); key exchange on the NIST curves P-384 and P-256; handshake signatures ECDSA
 * or RSA-PSS with SHA-2 (no SHA-1, no PKCS#1 v1.5, which the guideline no longer accepts after 2025).
 * Renegotiation and compression are switched off by each side with node:crypto constants, which this
 * pure file cannot import.
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
