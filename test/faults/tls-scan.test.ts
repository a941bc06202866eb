import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../server/src/app.js';
import { systemClock } from '../../server/src/clock.js';
import { TLS_POLICY } from '../../src/shared/tls-policy.js';
import { testAppConfig } from '../support/app-config.js';
import { testBackends } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * A scan of the server's TLS endpoint with the openssl command line, one handshake per protocol version,
 * per cipher suite OpenSSL knows (all 1.2-and-older suites, all TLS 1.3 suites) and per key-exchange
 * group: exactly the suites of the policy (src/shared/tls-policy.ts) are accepted and nothing else.
 * Scanned twice — with the product's ECDSA server certificate and with an RSA one — because a suite's
 * authentication must match the certificate. SSL 2 and 3, which this OpenSSL cannot offer any more, are
 * offered by hand-made ClientHellos.
 */

const run = promisify(execFile);
const POOL = 4;

interface Handshake {
  ok: boolean;
  protocol?: string;
  cipher?: string;
  /** The key-exchange group as s_client names it (prime256v1, secp384r1, X25519, …). */
  tempKey?: string;
}

/** One `openssl s_client` handshake (stdin closed, so it ends right after); what was negotiated. */
function sClient(port: number, args: string[]): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const m = /New, (\S+), Cipher is (\S+)/.exec(out);
      const key = /Server Temp Key: (?:ECDH, )?([^,\s]+)/.exec(out);
      resolve(m === null || m[2] === '(NONE)' ? { ok: false } : { ok: true, protocol: m[1]!, cipher: m[2]!, ...(key === null ? {} : { tempKey: key[1]! }) });
    });
  });
}

/** Runs the handshakes `POOL` at a time; returns what each accepted. */
async function scan<T>(items: readonly T[], probe: (item: T) => Promise<Handshake>): Promise<Map<T, Handshake>> {
  const results = new Map<T, Handshake>();
  let next = 0;
  await Promise.all(
    Array.from({ length: POOL }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        results.set(item, await probe(item));
      }
    }),
  );
  return results;
}

const accepted = <T>(results: Map<T, Handshake>) => [...results.entries()].filter(([, h]) => h.ok).map(([k]) => k).sort();

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const ext = (type: number, data: Buffer) => Buffer.concat([u16(type), u16(data.length), data]);

/**
 * A hand-made ClientHello with protocol `version` (0x0303 = TLS 1.2, 0x0300 = SSL 3.0) offering
 * ECDHE-ECDSA-AES128-GCM-SHA256 on P-256 with an ECDSA/SHA-256 signature; resolves with the type of the
 * first record the server sends back (0x16: a ServerHello, the handshake goes on; 0x15: an alert).
 */
function rawHello(port: number, version: number): Promise<number | 'closed'> {
  const extensions = Buffer.concat([
    ext(0x000a, Buffer.from([0x00, 0x02, 0x00, 0x17])),
    ext(0x000b, Buffer.from([0x01, 0x00])),
    ext(0x000d, Buffer.from([0x00, 0x02, 0x04, 0x03])),
  ]);
  const body = Buffer.concat([u16(version), randomBytes(32), Buffer.from([0x00]), u16(2), u16(0xc02b), Buffer.from([0x01, 0x00]), u16(extensions.length), extensions]);
  const handshake = Buffer.concat([Buffer.from([0x01, 0x00]), u16(body.length), body]);
  return firstRecordType(port, Buffer.concat([Buffer.from([0x16]), u16(version), u16(handshake.length), handshake]));
}

function firstRecordType(port: number, hello: Buffer): Promise<number | 'closed'> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(hello));
    socket.once('data', (d: Buffer) => {
      socket.destroy();
      resolve(d[0] ?? 'closed');
    });
    socket.once('close', () => resolve('closed'));
    socket.once('error', () => resolve('closed'));
    socket.setTimeout(5000, () => socket.destroy());
  });
}

/** An SSLv2-format ClientHello (the compatibility hello of old clients). */
function sslv2Hello(port: number): Promise<number | 'closed'> {
  const specs = Buffer.from([0x01, 0x00, 0x80, 0x07, 0x00, 0xc0, 0x00, 0x00, 0x2f]);
  const challenge = randomBytes(16);
  const msg = Buffer.concat([Buffer.from([0x01, 0x00, 0x02]), u16(specs.length), u16(0), u16(challenge.length), specs, challenge]);
  return firstRecordType(port, Buffer.concat([Buffer.from([0x80 | (msg.length >> 8), msg.length & 0xff]), msg]));
}

describe('TLS scan with openssl s_client: only TLS 1.2/1.3 and the allowed suites', () => {
  let server: TestServer;
  let rsa: App;
  let rsaPort: number;
  let work: string;
  let legacySuites: string[];
  let tls13Suites: string[];

  beforeAll(async () => {
    // The intrusion prevention would block the scanner's address after 20 failed handshakes; what is
    // scanned here is the TLS policy behind it.
    server = await startTestServer(testBackends()[0] ?? 'pglite', { intrusion: { enabled: false } });
    work = mkdtempSync(path.join(tmpdir(), 'boxoffice-tlsscan-'));
    // An RSA server certificate from the same platform CA, for the ECDHE-RSA half of the policy.
    const f = (n: string) => path.join(work, n);
    writeFileSync(f('ca.pem'), server.pki.ca.certPem);
    writeFileSync(f('ca.key'), server.pki.ca.keyPem);
    writeFileSync(f('ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
    await run('openssl', ['req', '-new', '-newkey', 'rsa:3072', '-nodes', '-keyout', f('rsa.key'), '-subj', '/CN=localhost', '-out', f('rsa.csr')]);
    await run('openssl', ['x509', '-req', '-in', f('rsa.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-sha256', '-extfile', f('ext.cnf'), '-out', f('rsa.pem')]);
    rsa = await buildApp({ config: testAppConfig(), intrusion: { enabled: false }, db: server.tdb.db, clock: systemClock, tls: { cert: readFileSync(f('rsa.pem'), 'utf8'), key: readFileSync(f('rsa.key'), 'utf8'), ca: server.pki.ca.certPem } });
    await rsa.listen({ host: '127.0.0.1', port: 0 });
    const address = rsa.server.address();
    rsaPort = typeof address === 'object' && address !== null ? address.port : 0;

    const list = async (args: string[]) => (await run('openssl', ['ciphers', ...args])).stdout.trim().split(':');
    legacySuites = (await list(['ALL:COMPLEMENTOFALL:@SECLEVEL=0'])).filter((s) => !s.startsWith('TLS_'));
    tls13Suites = await list(['-s', '-tls1_3', '-ciphersuites', 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:TLS_AES_128_CCM_8_SHA256', 'NULL']);
  });

  afterAll(async () => {
    await rsa?.close();
    await server?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('speaks TLS 1.2 and 1.3 and refuses TLS 1.1, TLS 1.0, SSL 3 and SSL 2 hellos', async () => {
    const port = server.port;
    const versions = await scan(['-tls1_3', '-tls1_2', '-tls1_1', '-tls1'], (flag) => sClient(port, [flag, '-cipher', 'ALL:@SECLEVEL=0']));
    expect(accepted(versions)).toEqual(['-tls1_2', '-tls1_3']);
    expect(versions.get('-tls1_3')?.protocol).toBe('TLSv1.3');
    expect(versions.get('-tls1_2')?.protocol).toBe('TLSv1.2');
    // The hand-made hello gets a ServerHello as TLS 1.2 and none as SSL 3.0; the SSLv2 hello none either.
    expect(await rawHello(port, 0x0303)).toBe(0x16);
    expect(await rawHello(port, 0x0300)).not.toBe(0x16);
    expect(await sslv2Hello(port)).not.toBe(0x16);
  });

  it.each([
    ['ECDSA certificate', () => server.port, ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384']],
    ['RSA certificate', () => rsaPort, ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384']],
  ] as const)('accepts exactly the policy suites with an %s, of every suite OpenSSL can offer', async (_name, port, expected) => {
    expect(legacySuites.length).toBeGreaterThan(50);
    const legacy = await scan(legacySuites, (suite) => sClient(port(), ['-tls1_2', '-cipher', `${suite}:@SECLEVEL=0`]));
    expect(accepted(legacy)).toEqual([...expected].sort());
    for (const suite of expected) expect(TLS_POLICY.tls12Suites).toContain(suite);
    // Older protocol versions with every suite: nothing.
    const old = await scan(legacySuites.slice(0, 40), (suite) => sClient(port(), ['-tls1_1', '-cipher', `${suite}:@SECLEVEL=0`]));
    expect(accepted(old)).toEqual([]);

    expect(tls13Suites.length).toBeGreaterThanOrEqual(3);
    const modern = await scan(tls13Suites, (suite) => sClient(port(), ['-tls1_3', '-ciphersuites', suite]));
    expect(accepted(modern)).toEqual([...TLS_POLICY.tls13Suites].sort());
  });

  it('agrees keys only on P-384 and P-256', async () => {
    const groups = ['P-256', 'P-384', 'P-521', 'X25519', 'X448', 'ffdhe2048', 'ffdhe3072', 'ffdhe4096', 'ffdhe8192'];
    const tls13 = await scan(groups, (group) => sClient(server.port, ['-tls1_3', '-groups', group]));
    expect(accepted(tls13)).toEqual(['P-256', 'P-384']);
    // TLS 1.2 ties the ECDSA certificate's curve (P-256) to the offered groups, so P-256 is offered last
    // with each group first: the server must never agree on a group outside the policy.
    const tls12 = await scan(groups, (group) => sClient(server.port, ['-tls1_2', '-groups', group === 'P-256' ? group : `${group}:P-256`]));
    const agreed = [...tls12.values()].map((h) => h.tempKey);
    expect(new Set(agreed)).toEqual(new Set(['prime256v1', 'secp384r1']));
  });
});
