import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../support/cli.js';

function expectOneLineError(result: CliResult, exitCode: number, pattern: RegExp): void {
  expect(result.code).toBe(exitCode);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^boxoffice: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
}

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'boxoffice-cli-'));

describe('configuration errors stop the process with one readable line', () => {
  it('bad port', async () => {
    expectOneLineError(await runCli(['migrate'], { BOXOFFICE_DATA_DIR: dataDir(), BOXOFFICE_PORT: 'abc' }), 2, /port must be integer \(got "abc"\)/);
  });

  it('unknown key in the config file', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'config.json');
    (await import('node:fs')).writeFileSync(file, '{"prot": 8443}');
    expectOneLineError(await runCli(['migrate'], { BOXOFFICE_DATA_DIR: dir, BOXOFFICE_CONFIG: file }), 2, /unknown configuration key "prot"/);
  });

  it('missing certificate files in production', async () => {
    const dir = dataDir();
    expectOneLineError(
      await runCli(['start'], { BOXOFFICE_DATA_DIR: dir, NODE_ENV: 'production', BOXOFFICE_PORT: '1' }),
      2,
      /TLS certificate file .*server\.cert\.pem does not exist/,
    );
  });

  it('demo data refused in production', async () => {
    expectOneLineError(await runCli(['start', '--demo'], { BOXOFFICE_DATA_DIR: dataDir(), NODE_ENV: 'production' }), 2, /--demo is refused in production mode/);
  });

  it('malformed network allow/deny list', async () => {
    expectOneLineError(await runCli(['start'], { BOXOFFICE_DATA_DIR: dataDir(), BOXOFFICE_NET_DENY: '10.0.0.0/8, 300.1.1.1' }), 2, /300\.1\.1\.1/);
  });

  it('unreachable PostgreSQL server', async () => {
    const result = await runCli(['migrate'], { BOXOFFICE_DATA_DIR: dataDir(), DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/boxoffice', BOXOFFICE_DB_CONNECT_TIMEOUT_MS: '2000' });
    expectOneLineError(result, 1, /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/boxoffice: ECONNREFUSED/);
    // The password in the connection string never reaches the output.
    expect(result.stderr + result.stdout).not.toContain('secret');
  });

  it('port already in use', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      expectOneLineError(await runCli(['start'], { BOXOFFICE_DATA_DIR: dataDir(), BOXOFFICE_PORT: String(port) }), 1, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('unknown command and unknown option', async () => {
    expect((await runCli(['frobnicate'], { BOXOFFICE_DATA_DIR: dataDir() })).code).toBe(2);
    expectOneLineError(await runCli(['ca', 'list', '--tenat', 'x'], { BOXOFFICE_DATA_DIR: dataDir() }), 2, /--tenat/);
  });
});
