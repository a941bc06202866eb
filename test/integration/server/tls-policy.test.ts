import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../support/backends.js';
import { tlsHandshake } from '../../support/https.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

/** Runs `openssl s_client` with stdin closed, so it exits right after the handshake either way. */
function sClient(port: number, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

// The handshake policy does not depend on the database; one backend is enough.
const backend = testBackends()[0] ?? 'pglite';

describe('TLS policy (BSI TR-02102-2), real sockets', () => {
  let server: TestServer;
  let ca: string;
  // Client identity so that a refusal can only come from the protocol parameters under test.
  let identity: { cert: string; key: string };

  beforeAll(async () => {
    server = await startTestServer(backend);
    ca = server.pki.ca.certPem;
    identity = { cert: server.workstation.certPem, key: server.workstation.keyPem };
  });
  afterAll(async () => {
    await server.close();
  });

  it('negotiates TLS 1.3 with an AES-GCM suite by default', async () => {
    const result = await tlsHandshake(server.port, { ca, ...identity });
    expect(result).toMatchObject({ ok: true, protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', authorized: true });
  });

  it('accepts TLS 1.2 only with ECDHE and AES-GCM', async () => {
    const result = await tlsHandshake(server.port, { ca, ...identity, maxVersion: 'TLSv1.2' });
    expect(result).toMatchObject({ ok: true, protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-AES256-GCM-SHA384' });
    const aes128 = await tlsHandshake(server.port, { ca, ...identity, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
    expect(aes128).toMatchObject({ ok: true, cipher: 'ECDHE-ECDSA-AES128-GCM-SHA256' });
  });

  it.each([
    ['TLS 1.1', { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' }],
    ['TLS 1.0', { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }],
    ['TLS 1.3 with ChaCha20 only', { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }],
    ['TLS 1.2 with ChaCha20 only', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305' }],
    ['TLS 1.2 without forward secrecy', { maxVersion: 'TLSv1.2', ciphers: 'AES256-GCM-SHA384:AES128-GCM-SHA256:AES256-SHA256:AES128-SHA' }],
    ['TLS 1.2 with CBC suites only', { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA' }],
    ['X25519 as the only curve', { ecdhCurve: 'X25519' }],
    ['P-521 as the only curve', { ecdhCurve: 'P-521' }],
    ['SHA-1 signatures only (TLS 1.2)', { maxVersion: 'TLSv1.2', sigalgs: 'ECDSA+SHA1:RSA+SHA1', ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384:@SECLEVEL=0' }],
  ] as const)('refuses a client offering %s', async (_name, options) => {
    const result = await tlsHandshake(server.port, { ca, ...identity, ...options });
    expect(result.ok).toBe(false);
  });

  it('refuses TLS 1.1 and ChaCha20 to the openssl command-line client as well', async () => {
    const ok = await sClient(server.port, ['-tls1_2']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Cipher is ECDHE-ECDSA-AES256-GCM-SHA384/);
    for (const args of [
      ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0'],
      ['-tls1_2', '-cipher', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
      ['-tls1_3', '-ciphersuites', 'TLS_CHACHA20_POLY1305_SHA256'],
    ]) {
      const refused = await sClient(server.port, args);
      expect(refused.code, args.join(' ')).not.toBe(0);
      expect(refused.stdout).toMatch(/Cipher is \(NONE\)|no peer certificate available/);
    }
  });
});
