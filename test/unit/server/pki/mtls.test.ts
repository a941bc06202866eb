import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type ConnectionOptions, type Server, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPkcs12, generatePassphrase } from '../../../../server/src/pki/pkcs12.js';
import {
  createCa,
  issueClientCertificate,
  issueServerCertificate,
  normalizeFingerprint,
  type CaMaterial,
  type IssuedCertificate,
} from '../../../../server/src/pki/x509.js';

interface Accepted {
  authorized: boolean;
  fingerprint256: string;
}

interface Outcome {
  authorized: boolean | null;
  data: string;
  error: (Error & { code?: string }) | null;
}

// The server sends its CA along (OpenSSL completes the chain from the `ca` store), so an untrusting
// client usually reports the self-signed CA rather than the leaf.
const UNTRUSTED_SERVER = ['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'];
const now = new Date();
let ca: CaMaterial;
let serverCert: IssuedCertificate;
let client: IssuedCertificate;
let pfx: Buffer;
let passphrase: string;
let foreignCa: CaMaterial;
let foreignClient: IssuedCertificate;
let server: Server;
let port: number;
const accepted: Accepted[] = [];
const sockets = new Set<TLSSocket>();

beforeAll(async () => {
  ca = await createCa({ commonName: 'mTLS test CA', validityDays: 2, now });
  foreignCa = await createCa({ commonName: 'Foreign CA', validityDays: 2, now });
  serverCert = await issueServerCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 1, now });
  client = await issueClientCertificate(ca, { commonName: 'kasse-1', organization: 'Outlet', validityDays: 1, now, kind: 'workstation' });
  foreignClient = await issueClientCertificate(foreignCa, { commonName: 'kasse-1', organization: 'Outlet', validityDays: 1, now, kind: 'workstation' });
  passphrase = generatePassphrase();
  pfx = buildPkcs12({ keyPem: client.keyPem, certPem: client.certPem, chainPems: [ca.certPem], passphrase, friendlyName: 'kasse-1' });

  server = createServer({
    key: serverCert.keyPem,
    cert: serverCert.certPem,
    ca: ca.certPem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
  });
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    accepted.push({ authorized: socket.authorized, fingerprint256: socket.getPeerCertificate().fingerprint256 });
    socket.end('hello');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Connects, reads until the server closes, and reports what happened instead of throwing. */
async function attempt(options: ConnectionOptions): Promise<Outcome> {
  const outcome: Outcome = { authorized: null, data: '', error: null };
  const socket = connect({ host: '127.0.0.1', port, ...options });
  socket.setTimeout(5_000, () => socket.destroy(new Error('test connection timed out')));
  socket.on('secureConnect', () => {
    outcome.authorized = socket.authorized;
  });
  socket.on('data', (chunk: Buffer) => {
    outcome.data += chunk.toString('utf8');
  });
  socket.on('error', (error) => {
    outcome.error = error;
  });
  // Not events.once: it rejects on 'error', and a refused handshake is an outcome here, not a failure.
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  return outcome;
}

/** A refused client must also show up as a TLS client error on the server, never as a connection. */
async function expectRefused(options: ConnectionOptions): Promise<Outcome> {
  const before = accepted.length;
  const serverError = once(server, 'tlsClientError');
  const outcome = await attempt(options);
  const [error] = (await serverError) as [Error];
  expect(error.message).toBeTruthy();
  expect(outcome.data).toBe('');
  expect(accepted.length).toBe(before);
  return outcome;
}

describe('mutual TLS with the issued certificates', () => {
  it.each(['TLSv1.2', 'TLSv1.3'] as const)('authenticates both sides over %s with the .p12 client identity', async (version) => {
    const before = accepted.length;
    const outcome = await attempt({ pfx, passphrase, ca: ca.certPem, servername: 'localhost', minVersion: version, maxVersion: version });
    expect(outcome.error).toBeNull();
    expect(outcome.authorized).toBe(true);
    expect(outcome.data).toBe('hello');

    const seen = accepted.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorized).toBe(true);
    expect(seen[0]?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(normalizeFingerprint(seen[0]?.fingerprint256 ?? '')).toBe(client.fingerprint256);
  });

  it('matches the server certificate by IP address when connecting to one', async () => {
    const outcome = await attempt({ pfx, passphrase, ca: ca.certPem });
    expect(outcome.error).toBeNull();
    expect(outcome.authorized).toBe(true);
  });

  it('refuses a client certificate from another CA', async () => {
    await expectRefused({ cert: foreignClient.certPem, key: foreignClient.keyPem, ca: ca.certPem, servername: 'localhost' });
  });

  it('refuses a client without a certificate', async () => {
    await expectRefused({ ca: ca.certPem, servername: 'localhost' });
  });

  it('refuses the server certificate presented as a client certificate (EKU serverAuth only)', async () => {
    await expectRefused({ cert: serverCert.certPem, key: serverCert.keyPem, ca: ca.certPem, servername: 'localhost' });
  });

  it('lets the client refuse a server that its CA did not certify', async () => {
    const outcome = await attempt({ cert: client.certPem, key: client.keyPem, ca: foreignCa.certPem, servername: 'localhost' });
    expect(UNTRUSTED_SERVER).toContain(outcome.error?.code);
    expect(outcome.data).toBe('');
  });

  // Node adds the CA certificates inside a .p12 to the context's trust store, so a station that loads
  // its .p12 trusts the platform CA without a separate `ca` option, and `ca` cannot narrow that trust.
  it('trusts the CA carried in the .p12 even without, or against, the `ca` option', async () => {
    expect((await attempt({ pfx, passphrase, servername: 'localhost' })).authorized).toBe(true);
    expect((await attempt({ pfx, passphrase, ca: foreignCa.certPem, servername: 'localhost' })).authorized).toBe(true);
    const withoutChain = buildPkcs12({ keyPem: client.keyPem, certPem: client.certPem, chainPems: [], passphrase, friendlyName: 'kasse-1' });
    const outcome = await attempt({ pfx: withoutChain, passphrase, servername: 'localhost' });
    expect(UNTRUSTED_SERVER).toContain(outcome.error?.code);
  });
});
