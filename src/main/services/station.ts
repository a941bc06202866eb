/**
 * The station's state behind the IPC handlers: its setup (first run, certificate import, settings) and
 * the backend client built from it. Plain TypeScript; Electron reaches it only through ports.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClientObserver } from '../../shared/api-client/http-client.js';
import type { Connectivity } from '../../shared/ipc/contract.js';
import { ipcErrorFromApi, ipcFail, ipcOk, StationErrorCode, type IpcResult } from '../../shared/ipc/result.js';
import type { SetupState, StationSettings, StationSetup } from '../../shared/ipc/station-settings.js';
import { parseHttpsOrigin } from '../config.js';
import type { Clock } from '../ports/clock.js';
import type { FileChooser } from '../ports/file-chooser.js';
import type { Logger } from '../ports/logger.js';
import type { Timers } from '../ports/timers.js';
import type { UiEvents } from '../ports/ui-events.js';
import { certificateValidityError, type BackendClient } from './backend-client.js';
import { createConnectivityMonitor, type ConnectivityMonitor } from './connectivity-monitor.js';
import { MAX_PKCS12_BYTES, openWorkstationPkcs12, type Pkcs12Result, type WorkstationCertificate } from './pkcs12.js';
import type { StationConfigStore, StoredStation } from './station-config-store.js';

export interface ImportCertificateArgs {
  readonly serverUrl: string;
  readonly passphrase: string;
  readonly settings: StationSettings;
}

export interface Station {
  /**
   * Loads a stored setup and connects (opening the .p12 takes about a second of CPU). Call it before
   * the window loads: every other method waits for it, so the first screen never sees a half-loaded state.
   */
  start(): Promise<void>;
  /** Resolves once start() has finished (at once if it was never called). */
  ready(): Promise<void>;
  setupState(): SetupState;
  chooseCertificate(): Promise<IpcResult<{ fileName: string } | null>>;
  importCertificate(args: ImportCertificateArgs): Promise<IpcResult<StationSetup>>;
  saveSettings(settings: StationSettings): Promise<IpcResult<StationSetup>>;
  /** The backend client of the current setup; undefined before setup. */
  backend(): BackendClient | undefined;
  connectivity(): Connectivity;
  /** Ends the session (best effort) and closes connections. */
  shutdown(): Promise<void>;
}

export type CreateBackend = (serverUrl: string, certificate: WorkstationCertificate, observer: ApiClientObserver, options: { probe: boolean }) => BackendClient;

export interface StationDeps {
  readonly configStore: StationConfigStore;
  readonly fileChooser: FileChooser;
  readonly events: UiEvents;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: Logger;
  readonly defaultServerUrl: string;
  readonly createBackend: CreateBackend;
  readonly openPkcs12?: (pfx: Uint8Array, passphrase: string) => Pkcs12Result;
  readonly readCertificateFile?: (filePath: string) => Promise<Uint8Array>;
}

interface Active {
  /** Replaced by saveSettings; the object itself stays, so `isCurrent` keeps recognising it. */
  stored: StoredStation;
  readonly certificate: WorkstationCertificate;
  readonly backend: BackendClient;
  readonly monitor: ConnectivityMonitor;
}

class FileTooLargeError extends Error {}

async function readCertificateFileFromDisk(filePath: string): Promise<Uint8Array> {
  const info = await stat(filePath);
  if (info.size > MAX_PKCS12_BYTES) throw new FileTooLargeError(`${info.size} bytes`);
  return readFile(filePath);
}

function toSetup(stored: StoredStation): StationSetup {
  return { serverUrl: stored.serverUrl, settings: stored.settings, certificate: stored.certificate.summary, workstation: stored.workstation };
}

export function createStation(deps: StationDeps): Station {
  const openPkcs12 = deps.openPkcs12 ?? openWorkstationPkcs12;
  const readCertificate = deps.readCertificateFile ?? readCertificateFileFromDisk;
  let active: Active | undefined;
  let problem: string | undefined;
  let pending: { fileName: string; pfx: Uint8Array } | undefined;
  let startup: Promise<void> | undefined;
  // Setup steps run one at a time: a double click must not import twice or race a settings change.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  function activate(stored: StoredStation, certificate: WorkstationCertificate): Active {
    // Events from a client that has since been replaced must not reach the window.
    const created: { active?: Active } = {};
    const isCurrent = () => created.active !== undefined && active === created.active;
    const monitor = createConnectivityMonitor({
      probe: async () => (await backend.system.ready()).ok,
      timers: deps.timers,
      onChange: (state) => {
        if (isCurrent()) deps.events.emit('connectivityChanged', { state });
      },
    });
    const observer: ApiClientObserver = {
      connectivity: (state) => {
        monitor.report(state);
      },
      sessionEnded: (end) => {
        if (isCurrent()) deps.events.emit('sessionEnded', end);
      },
    };
    const backend = deps.createBackend(stored.serverUrl, certificate, observer, { probe: false });
    created.active = { stored, certificate, backend, monitor };
    return created.active;
  }

  async function retire(previous: Active | undefined): Promise<void> {
    if (previous === undefined) return;
    previous.monitor.stop();
    try {
      if (previous.backend.auth.hasSession()) await previous.backend.auth.logout();
    } finally {
      previous.backend.close();
    }
  }

  function switchTo(next: Active): void {
    const previous = active;
    active = next;
    problem = undefined;
    void next.monitor.check();
    retire(previous).catch((error: unknown) => {
      deps.log.warn('closing the previous backend client failed', { error: String(error) });
    });
  }

  return {
    start() {
      startup ??= exclusive(async () => {
        const loaded = await deps.configStore.load();
        if (loaded.kind === 'none') return;
        if (loaded.kind === 'invalid') {
          problem = loaded.code;
          deps.log.warn('stored station setup is unusable', { code: loaded.code, message: loaded.message });
          return;
        }
        const opened = openPkcs12(loaded.station.certificate.pfx, loaded.station.certificate.passphrase);
        if (!opened.ok) {
          problem = opened.code;
          deps.log.warn('stored workstation certificate cannot be opened', { code: opened.code, message: opened.message });
          return;
        }
        switchTo(activate(loaded.station, opened.value));
      });
      return startup;
    },

    ready: () => (startup ?? Promise.resolve()).catch(() => undefined),

    setupState() {
      return {
        configured: active !== undefined,
        defaultServerUrl: deps.defaultServerUrl,
        ...(active === undefined ? {} : { station: toSetup(active.stored) }),
        ...(pending === undefined ? {} : { pendingCertificate: { fileName: pending.fileName } }),
        ...(problem === undefined ? {} : { problem }),
      };
    },

    chooseCertificate: () =>
      exclusive(async () => {
        const filePath = await deps.fileChooser.choosePkcs12();
        if (filePath === undefined) return ipcOk(null);
        let pfx: Uint8Array;
        try {
          pfx = await readCertificate(filePath);
        } catch (error) {
          if (error instanceof FileTooLargeError) return ipcFail(StationErrorCode.certificateFileTooLarge, `the file is too large (${error.message})`);
          return ipcFail(StationErrorCode.certificateFileUnreadable, `the file cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
        }
        if (pfx.byteLength > MAX_PKCS12_BYTES) return ipcFail(StationErrorCode.certificateFileTooLarge, 'the file is too large');
        pending = { fileName: path.basename(filePath).slice(0, 255), pfx };
        return ipcOk({ fileName: pending.fileName });
      }),

    importCertificate: (args) =>
      exclusive(async (): Promise<IpcResult<StationSetup>> => {
        const serverUrl = parseHttpsOrigin(args.serverUrl);
        if (serverUrl === undefined) return ipcFail(StationErrorCode.serverUrlInvalid, 'the server address must be an https origin');
        const chosen = pending;
        if (chosen === undefined) return ipcFail(StationErrorCode.certificateNotChosen, 'choose the .p12 file first');
        const opened = openPkcs12(chosen.pfx, args.passphrase);
        if (!opened.ok) return ipcFail(opened.code, opened.message);
        const invalid = certificateValidityError(opened.value.leaf, deps.clock.now());
        if (invalid !== undefined) return { ok: false, error: ipcErrorFromApi(invalid) };

        // Proof before saving: the server must accept this certificate as one of its workstations.
        const probe = deps.createBackend(serverUrl, opened.value, {}, { probe: true });
        const whoami = await probe.system.whoami();
        probe.close();
        if (!whoami.ok) return { ok: false, error: ipcErrorFromApi(whoami.error) };

        const leaf = opened.value.leaf;
        const stored: StoredStation = {
          serverUrl,
          settings: args.settings,
          workstation: { id: whoami.value.workstation.id, name: whoami.value.workstation.name, tenant: whoami.value.tenant },
          certificate: {
            summary: { fileName: chosen.fileName, subject: leaf.subject, fingerprint256: leaf.fingerprint256, notAfter: leaf.notAfter.toISOString() },
            pfx: chosen.pfx,
            passphrase: args.passphrase,
          },
        };
        const saved = await deps.configStore.save(stored);
        if (!saved.ok) return ipcFail(saved.code, saved.message);
        pending = undefined;
        switchTo(activate(stored, opened.value));
        deps.log.info('station set up', { workstation: stored.workstation.name, tenant: stored.workstation.tenant.code, serverUrl });
        return ipcOk(toSetup(stored));
      }),

    saveSettings: (settings) =>
      exclusive(async (): Promise<IpcResult<StationSetup>> => {
        const current = active;
        if (current === undefined) return ipcFail(StationErrorCode.notConfigured, 'the station is not set up yet');
        const stored: StoredStation = { ...current.stored, settings };
        const saved = await deps.configStore.save(stored);
        if (!saved.ok) return ipcFail(saved.code, saved.message);
        current.stored = stored;
        return ipcOk(toSetup(stored));
      }),

    backend: () => active?.backend,

    connectivity: () => active?.monitor.current() ?? 'unknown',

    async shutdown() {
      const current = active;
      active = undefined;
      await retire(current);
    },
  };
}
