import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { STATION_ERROR_CODES } from '../../../src/shared/ipc/error-codes.js';
import { contractMethods, IPC_CONTRACT, IPC_EVENTS, ipcChannel, ipcEventChannel, RESERVED_BRIDGE_KEYS } from '../../../src/shared/ipc/contract.js';
import { ipcErrorFromApi, ipcResultSchema } from '../../../src/shared/ipc/result.js';
import { DEFAULT_STATION_SETTINGS, StationSettings } from '../../../src/shared/ipc/station-settings.js';

describe('IPC contract', () => {
  it('has one unique channel per method and event', () => {
    const channels = contractMethods().map(({ area, method }) => ipcChannel(area, method));
    const events = Object.keys(IPC_EVENTS).map(ipcEventChannel);
    expect(new Set([...channels, ...events]).size).toBe(channels.length + events.length);
    expect(channels).toContain('boxoffice:auth.login');
  });

  it('uses no area name the bridge needs for itself', () => {
    for (const key of RESERVED_BRIDGE_KEYS) expect(Object.keys(IPC_CONTRACT)).not.toContain(key);
  });

  it('declares every argument as a closed object schema, so unknown fields are refused', () => {
    for (const { area, method, spec } of contractMethods()) {
      const schema = spec.args as { type?: string; additionalProperties?: unknown };
      expect(schema.type, `${area}.${method}`).toBe('object');
      expect(schema.additionalProperties, `${area}.${method}`).toBe(false);
      expect(Value.Check(spec.args, null), `${area}.${method}`).toBe(false);
    }
  });

  it('refuses extra fields and wrong types in arguments', () => {
    const login = IPC_CONTRACT.auth.login.args;
    expect(Value.Check(login, { login: 'a', password: 'b' })).toBe(true);
    expect(Value.Check(login, { login: 'a', password: 'b', admin: true })).toBe(false);
    expect(Value.Check(login, { login: 'a', password: 7 })).toBe(false);
    expect(Value.Check(login, { login: '', password: 'b' })).toBe(false);
    const importArgs = IPC_CONTRACT.setup.importCertificate.args;
    expect(Value.Check(importArgs, { serverUrl: 'https://kasse.example.de', passphrase: 'x', settings: DEFAULT_STATION_SETTINGS })).toBe(true);
    expect(Value.Check(importArgs, { serverUrl: 'http://kasse.example.de', passphrase: 'x', settings: DEFAULT_STATION_SETTINGS })).toBe(false);
  });

  it('bounds the printer offsets to ±20 mm in 0.1 mm steps', () => {
    const settings = (x: number) => ({ ...DEFAULT_STATION_SETTINGS, printer: { name: 'Ticketdrucker', offsetXTenthMm: x, offsetYTenthMm: 0 } });
    expect(Value.Check(StationSettings, settings(-200))).toBe(true);
    expect(Value.Check(StationSettings, settings(201))).toBe(false);
    expect(Value.Check(StationSettings, settings(1.5))).toBe(false);
  });

  it('describes results as coded unions', () => {
    const schema = ipcResultSchema(IPC_CONTRACT.system.connectivity.result);
    expect(Value.Check(schema, { ok: true, value: { state: 'online' } })).toBe(true);
    expect(Value.Check(schema, { ok: false, error: { code: 'SERVER_UNREACHABLE', message: 'x' } })).toBe(true);
    expect(Value.Check(schema, { ok: false, error: { code: 'server unreachable', message: 'x' } })).toBe(false);
  });

  it('validates event payloads', () => {
    expect(Value.Check(IPC_EVENTS.sessionEnded, { code: 'SESSION_ENDED', reason: 'superseded' })).toBe(true);
    expect(Value.Check(IPC_EVENTS.scannerScan, { code: '4006381333931', source: 'hid', at: '2030-01-01T00:00:00.000Z' })).toBe(true);
    expect(Value.Check(IPC_EVENTS.scannerScan, { code: 'a b', source: 'hid', at: '2030-01-01T00:00:00.000Z' })).toBe(false);
  });

  it('carries only code and structured fields of an API error across IPC', () => {
    expect(ipcErrorFromApi({ code: 'LOGIN_THROTTLED', status: 429, message: 'wait', retryAfterSeconds: 4, requestId: 'r-1' })).toEqual({ code: 'LOGIN_THROTTLED', message: 'wait', retryAfterSeconds: 4 });
  });

  it('lists every error code once', () => {
    expect(new Set(STATION_ERROR_CODES).size).toBe(STATION_ERROR_CODES.length);
    for (const code of STATION_ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
  });
});
