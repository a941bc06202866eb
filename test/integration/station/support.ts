import type { Server as HttpServer, IncomingMessage, ServerResponse } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../src/main/ports/logger.js';
import type { Timers } from '../../../src/main/ports/timers.js';
import { createBackendClient } from '../../../src/main/services/backend-client.js';
import { openWorkstationPkcs12, type WorkstationCertificate } from '../../../src/main/services/pkcs12.js';
import { createStation, type Station } from '../../../src/main/services/station.js';
import { createStationConfigStore } from '../../../src/main/services/station-config-store.js';
import type { IpcEventName } from '../../../src/shared/ipc/contract.js';
import { buildPkcs12 } from '../../../server/src/pki/pkcs12.js';
import type { KeyPair } from '../../support/pki.js';
import { createFakeSecretStore } from '../../unit/main/fake-secret-store.js';

export const P12_PASSPHRASE = 'kiwi-mond-7hund-sonne';

/** A workstation .p12 as the platform CLI writes it (certificate, encrypted key, CA). */
export function workstationP12(pair: Pick<KeyPair, 'certPem' | 'keyPem'>, caPem: string, name = 'kasse-1'): Buffer {
  return buildPkcs12({ keyPem: pair.keyPem, certPem: pair.certPem, chainPems: [caPem], passphrase: P12_PASSPHRASE, friendlyName: name });
}

export function openP12(p12: Buffer): WorkstationCertificate {
  const opened = openWorkstationPkcs12(p12, P12_PASSPHRASE);
  if (!opened.ok) throw new Error(`test .p12 does not open: ${opened.code} ${opened.message}`);
  return opened.value;
}

export const silentLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Real timers, so the connectivity monitor and retries behave as in the station. */
export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export interface StationHarness {
  station: Station;
  dir: string;
  events: Array<{ event: IpcEventName; payload: unknown }>;
  cleanup(): Promise<void>;
}

/** The station service as main builds it, with a temp config dir and the given .p12 offered by the "dialog". */
export async function stationWith(p12: Buffer, options: { fileName?: string } = {}): Promise<StationHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'station-it-'));
  const p12Path = path.join(dir, options.fileName ?? 'outlet-a-kasse-1.p12');
  await writeFile(p12Path, p12);
  const events: StationHarness['events'] = [];
  const clock = { now: () => new Date() };
  const station = createStation({
    configStore: createStationConfigStore({ dir: path.join(dir, 'config'), secrets: createFakeSecretStore() }),
    fileChooser: { choosePkcs12: async () => p12Path },
    events: { emit: (event, payload) => events.push({ event, payload }) },
    clock,
    timers: realTimers,
    log: silentLog,
    defaultServerUrl: 'https://localhost:8443',
    createBackend: (serverUrl, certificate, observer, { probe }) =>
      createBackendClient({
        serverUrl,
        certificate,
        clock,
        observer,
        newIdempotencyKey: randomUUID,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 50))),
        ...(probe ? { retry: { attempts: 1 } } : {}),
      }),
  });
  return {
    station,
    dir,
    events,
    async cleanup() {
      await station.shutdown();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Lets the server process the next matching request completely (the handler runs, its transaction
 * commits) but drops the connection instead of sending the answer — what the client sees when a server
 * dies right after acting. Resolves with the request's headers once it happened.
 */
export function dropNextResponse(server: HttpServer, method: string, url: string): Promise<IncomingMessage['headers']> {
  return new Promise((resolve) => {
    const listener = (request: IncomingMessage, response: ServerResponse) => {
      if (request.method !== method || request.url !== url) return;
      server.off('request', listener);
      // Fastify answers with writeHead + end; the headers are only flushed by end, which never happens.
      response.end = (() => {
        request.socket.destroy();
        resolve(request.headers);
        return response;
      }) as ServerResponse['end'];
    };
    server.on('request', listener);
  });
}

/** Records method, URL and headers of every request the server receives. */
export function recordRequests(server: HttpServer): Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> {
  const seen: Array<{ method: string; url: string; headers: IncomingMessage['headers'] }> = [];
  server.on('request', (request: IncomingMessage) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
  });
  return seen;
}
