/**
 * The node:https transport and the retry rules against small local HTTPS servers built from the test
 * PKI: which requests are repeated (and with which key), and how network and TLS failures arrive as
 * codes. No database involved.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { Type } from 'typebox';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackendClient } from '../../../src/main/services/backend-client.js';
import type { WorkstationCertificate } from '../../../src/main/services/pkcs12.js';
import { createTestPki, type KeyPair, type TestPki } from '../../support/pki.js';
import { openP12, workstationP12 } from './support.js';

type Handler = (request: http.IncomingMessage, body: string, response: http.ServerResponse) => void;

interface Received {
  method: string;
  url: string;
  key: string | undefined;
  body: string;
  peerFingerprint: string | undefined;
}

let pki: TestPki;
let certificate: WorkstationCertificate;
let workstation: KeyPair;
const servers: Array<http.Server> = [];

beforeAll(async () => {
  pki = await createTestPki();
  workstation = await pki.client('kasse-1');
  certificate = openP12(workstationP12(workstation, pki.ca.certPem));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  })));
});

/** An HTTPS server with the platform's server certificate that asks for client certificates. */
async function httpsServer(handler: Handler, tls: https.ServerOptions = {}, host = '127.0.0.1'): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = https.createServer({ cert: pki.server.certPem, key: pki.server.keyPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: false, ...tls }, (request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const peer = (request.socket as TLSSocket).getPeerCertificate();
      received.push({ method: request.method ?? '', url: request.url ?? '', key: request.headers['idempotency-key'] as string | undefined, body, peerFingerprint: peer?.fingerprint256 });
      handler(request, body, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { url: `https://${host === '127.0.0.1' ? 'localhost' : host}:${(server.address() as AddressInfo).port}`, received };
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const reply = (response: http.ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
};
const dropConnection = (request: http.IncomingMessage) => {
  request.socket.destroy();
};

const Thing = Type.Object({ id: Type.String() });

function client(url: string, options: { timeoutMs?: number } = {}) {
  const sleeps: number[] = [];
  const backend = createBackendClient({
    serverUrl: url,
    certificate,
    clock: { now: () => new Date() },
    newIdempotencyKey: randomUUID,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  return { backend, sleeps };
}

describe('retries and idempotency keys against a local HTTPS server', () => {
  it('presents the workstation certificate from the .p12', async () => {
    const server = await httpsServer((_req, _body, res) => reply(res, 200, { id: 'ok' }));
    const { backend } = client(server.url);
    expect(await backend.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toEqual({ ok: true, value: { id: 'ok' } });
    expect(server.received[0]?.peerFingerprint).toBe(new X509Certificate(workstation.certPem).fingerprint256);
    backend.close();
  });

  it('repeats a write whose connection broke after sending, with the same key and body', async () => {
    let calls = 0;
    const server = await httpsServer((req, _body, res) => (++calls === 1 ? dropConnection(req) : reply(res, 201, { id: 'order-1' })));
    const { backend, sleeps } = client(server.url);
    const result = await backend.http.request({ method: 'POST', path: '/api/v1/orders', body: { items: 2 }, response: Thing, auth: 'workstation', idempotent: true });
    expect(result).toEqual({ ok: true, value: { id: 'order-1' } });
    expect(server.received).toHaveLength(2);
    expect(server.received[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.received[1]?.key).toBe(server.received[0]?.key);
    expect(server.received[1]?.body).toBe(server.received[0]?.body);
    expect(sleeps).toHaveLength(1);
    backend.close();
  });

  it('gives each logical write its own key', async () => {
    const server = await httpsServer((_req, _body, res) => reply(res, 201, { id: 'x' }));
    const { backend } = client(server.url);
    await backend.http.request({ method: 'POST', path: '/a', body: {}, response: Thing, auth: 'workstation', idempotent: true });
    await backend.http.request({ method: 'POST', path: '/a', body: {}, response: Thing, auth: 'workstation', idempotent: true });
    expect(server.received[0]?.key).not.toBe(server.received[1]?.key);
    backend.close();
  });

  it('never repeats a write without a key, and sends none', async () => {
    const server = await httpsServer((req) => dropConnection(req));
    const { backend, sleeps } = client(server.url);
    const result = await backend.http.request({ method: 'POST', path: '/api/v1/auth/login', body: { login: 'a', password: 'b' }, response: Thing, auth: 'workstation' });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONNECTION_LOST' } });
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.key).toBeUndefined();
    expect(sleeps).toEqual([]);
    backend.close();
  });

  it('repeats reads after 503 and gives up after the attempt limit', async () => {
    const server = await httpsServer((_req, _body, res) => reply(res, 503, { status: 503, code: 'DATABASE_UNAVAILABLE' }));
    const { backend, sleeps } = client(server.url);
    expect(await backend.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'DATABASE_UNAVAILABLE', status: 503 } });
    expect(server.received).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    backend.close();
  });
});

describe('failures arrive as codes', () => {
  it('nothing listening: SERVER_UNREACHABLE', async () => {
    const server = await httpsServer(() => undefined);
    const url = server.url;
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const { backend } = client(url);
    expect(await backend.http.request({ method: 'POST', path: '/x', response: null, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'SERVER_UNREACHABLE' } });
    backend.close();
  });

  it('no answer in time: SERVER_TIMEOUT', async () => {
    const server = await httpsServer(() => undefined);
    const { backend } = client(server.url, { timeoutMs: 300 });
    expect(await backend.http.request({ method: 'POST', path: '/x', response: null, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'SERVER_TIMEOUT' } });
    backend.close();
  });

  it('a server certificate from another CA: SERVER_CERT_UNTRUSTED (pinned to the platform CA)', async () => {
    const foreign = await pki.client('localhost', { foreign: true });
    const server = await httpsServer((_req, _body, res) => reply(res, 200, { id: 'x' }), { cert: foreign.certPem, key: foreign.keyPem });
    const { backend } = client(server.url);
    expect(await backend.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'SERVER_CERT_UNTRUSTED' } });
    expect(server.received).toHaveLength(0);
    backend.close();
  });

  it('a server certificate for another host name: SERVER_CERT_UNTRUSTED', async () => {
    const server = await httpsServer((_req, _body, res) => reply(res, 200, { id: 'x' }), {}, '127.0.0.2');
    const { backend } = client(server.url);
    expect(await backend.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'SERVER_CERT_UNTRUSTED' } });
    backend.close();
  });

  it('a server below the TLS policy (TLS 1.2 with CBC suites only): TLS_MISMATCH', async () => {
    const server = await httpsServer((_req, _body, res) => reply(res, 200, { id: 'x' }), { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA' });
    const { backend } = client(server.url);
    expect(await backend.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'TLS_MISMATCH' } });
    expect(server.received).toHaveLength(0);
    backend.close();
  });

  it('plain HTTP where HTTPS is expected: TLS_MISMATCH', async () => {
    const server = http.createServer((_req, res) => reply(res, 200, { id: 'x' }));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { backend } = client(`https://localhost:${(server.address() as AddressInfo).port}`);
    expect(await backend.http.request({ method: 'GET', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'TLS_MISMATCH' } });
    backend.close();
  });

  // Node's own TLS server drops such a connection without an alert, so OpenSSL's s_server stands in
  // for a balancer that checks client certificates (HAProxy, nginx with ssl_verify_client).
  it.each(['-tls1_3', '-tls1_2'])('a balancer that refuses our client certificate in the handshake (%s): CLIENT_CERT_REJECTED', async (version) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'balancer-'));
    const files = { cert: path.join(dir, 's.crt'), key: path.join(dir, 's.key'), ca: path.join(dir, 'other-ca.pem') };
    await writeFile(files.cert, pki.server.certPem);
    await writeFile(files.key, pki.server.keyPem);
    await writeFile(files.ca, pki.foreignCa.certPem);
    const port = await freePort();
    const balancer = spawn('/usr/bin/openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', files.cert, '-key', files.key, '-CAfile', files.ca, '-Verify', '1', '-verify_return_error', '-www', version], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((resolve, reject) => {
        balancer.stdout.on('data', (data: Buffer) => {
          if (data.toString().includes('ACCEPT')) resolve();
        });
        balancer.once('exit', () => reject(new Error('openssl s_server ended early')));
      });
      const { backend } = client(`https://localhost:${port}`);
      expect(await backend.http.request({ method: 'POST', path: '/x', response: null, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'CLIENT_CERT_REJECTED' } });
      backend.close();
    } finally {
      balancer.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an oversized answer is dropped: RESPONSE_TOO_LARGE', async () => {
    const server = await httpsServer((_req, _body, res) => reply(res, 200, { id: 'x'.repeat(9 * 1024 * 1024) }));
    const { backend } = client(server.url);
    expect(await backend.http.request({ method: 'POST', path: '/x', response: Thing, auth: 'workstation' })).toMatchObject({ ok: false, error: { code: 'RESPONSE_TOO_LARGE' } });
    backend.close();
  });
});
