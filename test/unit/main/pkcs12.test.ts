import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PKCS12_BYTES, openWorkstationPkcs12 } from '../../../src/main/services/pkcs12.js';
import { buildPkcs12 } from '../../../server/src/pki/pkcs12.js';
import { createTestPki, type KeyPair, type TestPki } from '../../support/pki.js';

const PASSPHRASE = 'abcd-efgh-jkmn-pqrs';

let dir: string;
let pki: TestPki;
let client: KeyPair;
let foreignClient: KeyPair;

async function opensslP12(name: string, cert: KeyPair, chain: string[], extra: string[] = []): Promise<Buffer> {
  const files = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`), chain: path.join(dir, `${name}-chain.pem`), out: path.join(dir, `${name}.p12`) };
  await writeFile(files.cert, cert.certPem);
  await writeFile(files.key, cert.keyPem);
  await writeFile(files.chain, chain.join(''));
  const args = ['pkcs12', '-export', '-in', files.cert, '-inkey', files.key, '-out', files.out, '-passout', `pass:${PASSPHRASE}`, ...(chain.length > 0 ? ['-certfile', files.chain] : []), ...extra];
  const result = spawnSync('/usr/bin/openssl', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr}`);
  return readFile(files.out);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'station-p12-'));
  pki = await createTestPki();
  client = await pki.client('kasse-1');
  foreignClient = await pki.client('fremd', { foreign: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openWorkstationPkcs12', () => {
  it('opens the platform’s own .p12 (unencrypted certificate bags, PBES2 key, SHA-256 MAC)', { timeout: 60_000 }, () => {
    const p12 = buildPkcs12({ keyPem: client.keyPem, certPem: client.certPem, chainPems: [pki.ca.certPem], passphrase: PASSPHRASE, friendlyName: 'kasse-1' });
    const opened = openWorkstationPkcs12(p12, PASSPHRASE);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.value.leaf.subject).toContain('CN=kasse-1');
    expect(opened.value.leaf.fingerprint256.replaceAll(':', '').toLowerCase()).toBe(client.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(opened.value.leaf.notAfter.getTime()).toBe(Math.floor(client.notAfter.getTime() / 1000) * 1000);
    expect(openWorkstationPkcs12(p12, 'wrong-passphrase')).toMatchObject({ ok: false, code: 'P12_PASSPHRASE_WRONG' });
  });

  it('opens OpenSSL 3 files with AES-encrypted certificate bags, and with plain ones', async () => {
    for (const extra of [[], ['-certpbe', 'NONE']]) {
      const opened = openWorkstationPkcs12(await opensslP12('openssl', client, [pki.ca.certPem], extra), PASSPHRASE);
      expect(opened.ok, extra.join(' ')).toBe(true);
    }
  });

  it('says “wrong passphrase” also when the certificates themselves are encrypted', async () => {
    expect(openWorkstationPkcs12(await opensslP12('enc', client, [pki.ca.certPem]), 'falsch-falsch')).toMatchObject({ ok: false, code: 'P12_PASSPHRASE_WRONG' });
  });

  it('refuses the outdated RC2/3DES encryption with its own code', async () => {
    expect(openWorkstationPkcs12(await opensslP12('legacy', client, [pki.ca.certPem], ['-legacy']), PASSPHRASE)).toMatchObject({ ok: false, code: 'P12_UNSUPPORTED_ENCRYPTION' });
  });

  it('refuses a file without the CA that issued the certificate (nothing to pin the server to)', async () => {
    expect(openWorkstationPkcs12(await opensslP12('no-ca', client, []), PASSPHRASE)).toMatchObject({ ok: false, code: 'P12_NO_CA_CERTIFICATE' });
    expect(openWorkstationPkcs12(await opensslP12('wrong-ca', foreignClient, [pki.ca.certPem]), PASSPHRASE)).toMatchObject({ ok: false, code: 'P12_NO_CA_CERTIFICATE' });
  });

  it('refuses a certificate that is not meant for client authentication', async () => {
    expect(openWorkstationPkcs12(await opensslP12('server', pki.server, [pki.ca.certPem]), PASSPHRASE)).toMatchObject({ ok: false, code: 'P12_NOT_CLIENT_CERTIFICATE' });
  });

  it.each([
    ['garbage', Buffer.from('not a pkcs12 file at all')],
    ['an empty file', Buffer.alloc(0)],
    ['a PEM certificate', Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')],
    ['a truncated DER', Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01])],
  ])('refuses %s as P12_INVALID', (_name, bytes) => {
    expect(openWorkstationPkcs12(bytes, PASSPHRASE)).toMatchObject({ ok: false, code: 'P12_INVALID' });
  });

  it('refuses files far larger than any workstation certificate', () => {
    expect(openWorkstationPkcs12(Buffer.alloc(MAX_PKCS12_BYTES + 1), PASSPHRASE)).toMatchObject({ ok: false, code: 'CERTIFICATE_FILE_TOO_LARGE' });
  });
});
