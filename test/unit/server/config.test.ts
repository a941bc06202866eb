import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_ENV_VARIABLES, ConfigError, loadConfig } from '../../../server/src/config.js';

const cwd = '/srv/boxoffice';

describe('loadConfig', () => {
  it('gives a complete embedded default from an empty environment', () => {
    const config = loadConfig({ env: {}, cwd });
    expect(config.mode).toBe('development');
    expect(config.dataDir).toBe('/srv/boxoffice/data');
    expect(config.port).toBe(8443);
    expect(config.host).toBe('127.0.0.1');
    expect(config.database.url).toBeUndefined();
    expect(config.tls.caFile).toBe('/srv/boxoffice/data/pki/ca.cert.pem');
    expect(config.serverNames).toEqual(['localhost', '127.0.0.1']);
    expect(config.printing).toEqual({ timeZone: 'Europe/Berlin', unresolvedAfterMinutes: 15 });
    expect(loadConfig({ env: { BOXOFFICE_PRINT_TIME_ZONE: 'Europe/Vienna', BOXOFFICE_PRINT_UNRESOLVED_MINUTES: '30' }, cwd }).printing).toEqual({ timeZone: 'Europe/Vienna', unresolvedAfterMinutes: 30 });
  });

  it('takes environment variables over the config file over defaults', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const file = path.join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ port: 9000, host: '0.0.0.0', database: { poolMax: 4 } }));
    const config = loadConfig({ env: { BOXOFFICE_CONFIG: file, BOXOFFICE_PORT: '9443', BOXOFFICE_SERVER_NAMES: 'kasse.example.de, 10.0.0.5' }, cwd });
    expect(config.port).toBe(9443);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database.poolMax).toBe(4);
    expect(config.database.connectTimeoutMs).toBe(5000);
    expect(config.serverNames).toEqual(['kasse.example.de', '10.0.0.5']);
  });

  it.each([
    [{ BOXOFFICE_PORT: 'abc' }, /^port must be integer \(got "abc"\)$/],
    [{ BOXOFFICE_PORT: '70000' }, /^port must be <= 65535/],
    [{ NODE_ENV: 'staging' }, /^mode /],
    [{ DATABASE_URL: 'mysql://x' }, /^database\.url must match pattern/],
    [{ BOXOFFICE_LOG_LEVEL: 'loud' }, /^logLevel /],
    [{ BOXOFFICE_SERVER_NAMES: 'bad_name!' }, /^serverNames contains "bad_name!"/],
    [{ BOXOFFICE_CONFIG: '/nonexistent/config.json' }, /^cannot read config file \/nonexistent\/config\.json: ENOENT$/],
    [{ BOXOFFICE_PRINT_TIME_ZONE: 'Mitteleuropa' }, /^printing\.timeZone "Mitteleuropa" is not an IANA time zone/],
    [{ BOXOFFICE_PRINT_UNRESOLVED_MINUTES: '0' }, /^printing\.unresolvedAfterMinutes must be >= 1/],
  ])('refuses %j with one readable line', (env, message) => {
    let error: unknown;
    try {
      loadConfig({ env, cwd });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(message);
    expect((error as ConfigError).message).not.toContain('\n');
  });

  it('refuses unknown keys and non-JSON in the config file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const unknown = path.join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ database: { pool_max: 3 } }));
    expect(() => loadConfig({ env: { BOXOFFICE_CONFIG: unknown }, cwd })).toThrow('unknown configuration key "database.pool_max"');
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ "port": ');
    expect(() => loadConfig({ env: { BOXOFFICE_CONFIG: broken }, cwd })).toThrow(/is not valid JSON/);
    const list = path.join(dir, 'list.json');
    writeFileSync(list, '[1]');
    expect(() => loadConfig({ env: { BOXOFFICE_CONFIG: list }, cwd })).toThrow(/must hold a JSON object/);
  });

  it('documents every environment variable in the README', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    for (const name of CONFIG_ENV_VARIABLES) expect(readme, name).toContain(`\`${name}\``);
  });
});
