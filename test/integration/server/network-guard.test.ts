import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findGeoIpFiles, loadGeoIpCountries } from '../../../server/src/modules/network/geoip.js';
import { forwardedSourceHook, installConnectionGuard, registerNetworkProtection } from '../../../server/src/modules/network/guard.js';
import { createNetworkPolicy, type NetworkPolicy, type NetworkPolicyOptions } from '../../../server/src/modules/network/policy.js';
import { createCa, issueServerCertificate, type CaMaterial, type IssuedCertificate } from '../../../server/src/pki/x509.js';

const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/geoip/', import.meta.url));

let ca: CaMaterial;
let serverCert: IssuedCertificate;
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  const now = new Date();
  ca = await createCa({ commonName: 'network guard test CA', validityDays: 2, now });
  serverCert = await issueServerCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 1, now });
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface GuardedTlsServer {
  port: number;
  secureConnections: number;
  tlsClientErrors: number;
  denied: Array<{ address: string; reason: string }>;
  uninstall: () => void;
}

async function startTlsServer(policy: NetworkPolicy, host = '127.0.0.1'): Promise<GuardedTlsServer> {
  const server = tls.createServer({ key: serverCert.keyPem, cert: serverCert.certPem, minVersion: 'TLSv1.2' });
  const state = { secureConnections: 0, tlsClientErrors: 0, denied: [] as Array<{ address: string; reason: string }> };
  server.on('secureConnection', (socket) => {
    state.secureConnections += 1;
    socket.end('hello');
  });
  server.on('tlsClientError', () => {
    state.tlsClientErrors += 1;
  });
  const uninstall = installConnectionGuard(server, policy, (address, reason) => state.denied.push({ address, reason }));
  server.listen(0, host);
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return Object.assign(state, { port: (server.address() as AddressInfo).port, uninstall });
}

// events.once() would reject on the 'error' that precedes 'close'; the error is what these tests record.
const closed = (socket: net.Socket) => new Promise<void>((resolve) => socket.once('close', () => resolve()));

interface Outcome {
  secure: boolean;
  data: string;
  errorCode: string | undefined;
}

/** Connects with TLS, reads until the server closes, and reports what happened instead of throwing. */
async function tlsAttempt(port: number, host = '127.0.0.1'): Promise<Outcome> {
  const outcome: Outcome = { secure: false, data: '', errorCode: undefined };
  const socket = tls.connect({ host, port, servername: 'localhost', ca: ca.certPem });
  socket.setTimeout(5_000, () => socket.destroy(new Error('test connection timed out')));
  socket.on('secureConnect', () => (outcome.secure = true));
  socket.on('data', (chunk: Buffer) => (outcome.data += chunk.toString()));
  socket.on('error', (error: NodeJS.ErrnoException) => (outcome.errorCode = error.code ?? error.message));
  await closed(socket);
  return outcome;
}

/** Plain TCP: sends nothing and waits for the server to act. */
async function tcpAttempt(port: number, host = '127.0.0.1'): Promise<Outcome> {
  const outcome: Outcome = { secure: false, data: '', errorCode: undefined };
  const socket = net.connect({ host, port });
  socket.setTimeout(5_000, () => socket.destroy(new Error('test connection timed out')));
  socket.on('data', (chunk: Buffer) => (outcome.data += chunk.toString()));
  socket.on('error', (error: NodeJS.ErrnoException) => (outcome.errorCode = error.code ?? error.message));
  await closed(socket);
  return outcome;
}

describe('connection guard on a real TLS socket', () => {
  it('closes a denied source before any TLS work: no handshake, no TLS socket, no data', async () => {
    const server = await startTlsServer(createNetworkPolicy({ deny: ['127.0.0.1/32'] }));
    const outcome = await tlsAttempt(server.port);
    expect(outcome.secure).toBe(false);
    expect(outcome.data).toBe('');
    // A reset; EPIPE if the client's ClientHello write races the reset.
    expect(['ECONNRESET', 'EPIPE']).toContain(outcome.errorCode);
    expect(server.secureConnections).toBe(0);
    // Had the TLS wrapper seen the socket, it would have reported the reset as a client error.
    expect(server.tlsClientErrors).toBe(0);
    expect(server.denied).toEqual([{ address: '127.0.0.1', reason: 'address is on the deny list' }]);
  });

  it('closes a silent TCP client at once, without waiting for it to speak', async () => {
    const server = await startTlsServer(createNetworkPolicy({ allow: ['192.0.2.0/24'] }));
    const started = performance.now();
    const outcome = await tcpAttempt(server.port);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(outcome.data).toBe('');
    expect(['ECONNRESET', 'EPIPE', undefined]).toContain(outcome.errorCode);
    expect(server.denied).toEqual([{ address: '127.0.0.1', reason: 'address is not on the allow list' }]);
  });

  it('lets an allowed source complete the handshake', async () => {
    const server = await startTlsServer(createNetworkPolicy({ allow: ['127.0.0.0/8'], deny: ['192.0.2.0/24'] }));
    const outcome = await tlsAttempt(server.port);
    expect(outcome).toEqual({ secure: true, data: 'hello', errorCode: undefined });
    expect(server.secureConnections).toBe(1);
    expect(server.denied).toEqual([]);
  });

  it('restores the server when uninstalled', async () => {
    const server = await startTlsServer(createNetworkPolicy({ deny: ['127.0.0.1'] }));
    expect((await tlsAttempt(server.port)).secure).toBe(false);
    server.uninstall();
    expect(await tlsAttempt(server.port)).toMatchObject({ secure: true, data: 'hello' });
    expect(server.secureConnections).toBe(1);
  });

  it('matches an IPv4 rule against the IPv4-mapped peer of a dual-stack socket', async (context) => {
    let server: GuardedTlsServer;
    try {
      server = await startTlsServer(createNetworkPolicy({ deny: ['127.0.0.1/32'] }), '::');
    } catch {
      context.skip('no IPv6 on this machine');
      return;
    }
    const outcome = await tlsAttempt(server.port, '127.0.0.1');
    expect(outcome.secure).toBe(false);
    expect(server.secureConnections).toBe(0);
    expect(server.denied).toEqual([{ address: '::ffff:127.0.0.1', reason: 'address is on the deny list' }]);
  });

  it('guards a plain net server the same way', async () => {
    const server = net.createServer((socket) => socket.end('hi'));
    installConnectionGuard(server, createNetworkPolicy({ deny: ['127.0.0.0/8'] }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const outcome = await tcpAttempt((server.address() as AddressInfo).port);
    expect(outcome.data).toBe('');
  });
});

describe('forwardedSourceHook (app.inject)', () => {
  const build = async (options: NetworkPolicyOptions): Promise<FastifyInstance> => {
    const app = Fastify();
    app.addHook('onRequest', forwardedSourceHook(createNetworkPolicy(options)));
    app.get('/whoami', async (request) => ({ clientAddress: request.clientAddress }));
    await app.ready();
    cleanups.push(() => app.close());
    return app;
  };

  it('ignores a spoofed X-Forwarded-For from an untrusted peer', async () => {
    const app = await build({ trustedProxies: ['10.0.0.1'], deny: ['198.51.100.0/24'] });
    const ok = await app.inject({ url: '/whoami', remoteAddress: '203.0.113.50', headers: { 'x-forwarded-for': '192.0.2.1' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ clientAddress: '203.0.113.50' });
    // A denied peer cannot talk its way in by naming an allowed address.
    const denied = await app.inject({ url: '/whoami', remoteAddress: '198.51.100.7', headers: { 'x-forwarded-for': '192.0.2.1' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'SOURCE_DENIED' });
  });

  it('refuses a denied client behind a trusted proxy with 403 SOURCE_DENIED problem JSON', async () => {
    const app = await build({ trustedProxies: ['10.0.0.1'], deny: ['198.51.100.0/24'] });
    const response = await app.inject({ url: '/whoami', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '192.0.2.1, 198.51.100.7' } });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(response.json()).toMatchObject({ status: 403, code: 'SOURCE_DENIED', type: 'urn:boxoffice:problem:source_denied', instance: '/whoami' });
    expect(response.body).not.toContain('198.51.100.7');
  });

  it('admits an allowed client behind a trusted proxy and exposes its address', async () => {
    const app = await build({ trustedProxies: ['10.0.0.1'], deny: ['198.51.100.0/24'] });
    const response = await app.inject({ url: '/whoami', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '198.51.100.7, 192.0.2.1' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ clientAddress: '192.0.2.1' });
  });

  it('refuses a client of a denied country behind a trusted proxy', async () => {
    const geoip = loadGeoIpCountries(findGeoIpFiles(FIXTURE_DIR));
    const app = await build({ trustedProxies: ['10.0.0.1'], denyCountries: ['KP'], geoip });
    const refused = await app.inject({ url: '/whoami', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(refused.statusCode).toBe(403);
    const admitted = await app.inject({ url: '/whoami', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '192.0.2.9' } });
    expect(admitted.json()).toEqual({ clientAddress: '192.0.2.9' });
  });
});

describe('registerNetworkProtection on a Fastify HTTPS server, real sockets', () => {
  const startApp = async (options: NetworkPolicyOptions): Promise<{ port: number; app: FastifyInstance }> => {
    const app = Fastify({ https: { key: serverCert.keyPem, cert: serverCert.certPem } });
    registerNetworkProtection(app, createNetworkPolicy(options));
    app.get('/whoami', async (request) => ({ clientAddress: request.clientAddress }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => app.close());
    return { app, port: (app.server.address() as AddressInfo).port };
  };

  const get = (port: number, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string } | { errorCode: string | undefined }>((resolve) => {
      const request = https.get({ host: '127.0.0.1', port, path: '/whoami', servername: 'localhost', ca: ca.certPem, headers, agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', (error: NodeJS.ErrnoException) => resolve({ errorCode: error.code }));
    });

  it('resets a denied direct peer before the TLS handshake', async () => {
    const { port } = await startApp({ deny: ['127.0.0.1/32'] });
    const outcome = await get(port);
    expect(outcome).toHaveProperty('errorCode');
    expect(['ECONNRESET', 'EPIPE']).toContain((outcome as { errorCode?: string }).errorCode);
  });

  it('behind a trusted proxy: refuses denied clients per request and ignores what the client wrote', async () => {
    const { port } = await startApp({ trustedProxies: ['127.0.0.1'], allow: ['192.0.2.0/24'] });
    const admitted = await get(port, { 'x-forwarded-for': '198.51.100.7, 192.0.2.9' });
    expect(admitted).toEqual({ status: 200, body: JSON.stringify({ clientAddress: '192.0.2.9' }) });
    const refused = await get(port, { 'x-forwarded-for': '192.0.2.9, 198.51.100.7' });
    expect(refused).toMatchObject({ status: 403 });
    expect(JSON.parse((refused as { body: string }).body)).toMatchObject({ code: 'SOURCE_DENIED' });
  });
});
