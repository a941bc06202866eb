import { describe, expect, it } from 'vitest';
import { clientTlsPolicyOptions } from '../../../src/main/services/tls-client.js';
import { TLS_POLICY as SHARED_POLICY } from '../../../src/shared/tls-policy.js';
import { TLS_POLICY as SERVER_POLICY, tlsPolicyOptions } from '../../../server/src/tls.js';

describe('station TLS policy', () => {
  it('is the server’s policy: same constants, same versions, suites, curves, signatures and options', () => {
    expect(SERVER_POLICY).toBe(SHARED_POLICY);
    const { honorCipherOrder: _serverOnly, ...server } = tlsPolicyOptions();
    expect(clientTlsPolicyOptions()).toEqual(server);
  });

  it('allows TLS 1.2 and 1.3 only', () => {
    expect(clientTlsPolicyOptions()).toMatchObject({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' });
    // AES-GCM only; TLS 1.2 suites with forward-secret ECDHE key exchange.
    for (const suite of String(clientTlsPolicyOptions().ciphers).split(':')) expect(suite).toMatch(/^(TLS_AES_(128|256)_GCM_SHA(256|384)|ECDHE-(ECDSA|RSA)-AES(128|256)-GCM-SHA(256|384))$/);
  });
});
