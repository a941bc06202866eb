/**
 * Composition root of the Electron main process: reads the environment, builds the adapters (Electron
 * APIs behind ports), the station services and the IPC handlers, and wires the security guards, the
 * app:// file server and the one window. Logic lives in ./app, ./ipc and ./services; this file only
 * decides what is created when.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { app, dialog, ipcMain, safeStorage, session, type BrowserWindow } from 'electron';
import { appVersionArgument } from '../preload/app-version.js';
import { createConsoleLogger } from './adapters/console-logger.js';
import { createCupsPrinter } from './adapters/cups-printer.js';
import { createExecFileRunner } from './adapters/exec-file-runner.js';
import { createHidScanner, loadNodeHid } from './adapters/hid-scanner.js';
import { createWindowsPrinter } from './adapters/windows-printer.js';
import { createDialogFileChooser } from './adapters/electron-file-chooser.js';
import { createSafeStorageSecretStore } from './adapters/electron-safe-storage.js';
import { createAppFileHandler } from './app/app-files.js';
import { guardSession, guardWebContents, type GuardOptions } from './app/guards.js';
import { APP_ENTRY_URL, buildContentSecurityPolicy, isAppUrl } from './app/policy.js';
import { registerAppSchemeAsPrivileged, serveAppScheme } from './app/protocol.js';
import { createMainWindow } from './app/window.js';
import { readStationConfig } from './config.js';
import { createUiEvents } from './ipc/events.js';
import { createIpcHandlers } from './ipc/handlers/index.js';
import { registerIpcHandlers } from './ipc/register.js';
import { isTrustedSender } from './ipc/sender.js';
import { readPrintingConfig } from './printing/printing-config.js';
import { createTicketSheetRenderer, findTicketFontDir, type TicketSheetRenderer } from './printing/ticket-sheet-pdf.js';
import { createSystemClock } from './ports/clock.js';
import { createSystemTimers, sleepWith } from './ports/timers.js';
import { createBackendClient } from './services/backend-client.js';
import { createScannerRouter } from './services/scanner-router.js';
import { createShutdownCoordinator } from './services/shutdown.js';
import { createStation, type Station } from './services/station.js';
import { createStationConfigStore } from './services/station-config-store.js';
import { createStationEntry } from './services/station-entry.js';
import { createStationPrinting } from './services/station-printing.js';

const PRODUCT_NAME = 'Kasse & Druckstation';

function failAndExit(message: string, error?: unknown): void {
  console.error(message, error ?? '');
  // showErrorBox works before `ready` too, so a broken start is never a silent one.
  dialog.showErrorBox(PRODUCT_NAME, message);
  app.exit(1);
}

function main(): void {
  // A second start (another click on the desktop icon) focuses the running station instead of
  // opening a second till on the same workstation.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const configResult = readStationConfig(process.env);
  if (!configResult.ok) {
    failAndExit(configResult.message);
    return;
  }
  const { config } = configResult;
  const printingResult = readPrintingConfig(process.env, { resourcesPath: process.resourcesPath, platform: process.platform });
  if (!printingResult.ok) {
    failAndExit(printingResult.message);
    return;
  }
  const printingConfig = printingResult.config;
  const guardOptions: GuardOptions = { externalOrigins: config.externalOrigins };

  // Both must happen before `ready`.
  registerAppSchemeAsPrivileged();
  app.enableSandbox();
  app.setAppUserModelId('de.boxoffice.station');

  const log = createConsoleLogger();
  const clock = createSystemClock();
  const timers = createSystemTimers();
  const shutdown = createShutdownCoordinator({ timers, log });
  let mainWindow: BrowserWindow | undefined;
  const liveWindow = (): BrowserWindow | undefined => (mainWindow !== undefined && !mainWindow.isDestroyed() ? mainWindow : undefined);

  // Events go to the station window only, and only while it shows the app.
  const events = createUiEvents((channel, payload) => {
    const window = liveWindow();
    if (window !== undefined && isAppUrl(window.webContents.getURL())) window.webContents.send(channel, payload);
  }, log);

  // Every WebContents (window, frame host, devtools) gets the navigation and window-open guards.
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, guardOptions);
  });
  app.on('second-instance', () => {
    const window = liveWindow();
    if (window === undefined) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // The station has one window; closing it ends the program on every platform.
  app.on('window-all-closed', () => {
    app.quit();
  });
  // Quitting waits (bounded) for pending work: print confirmations and the entry journal flushed,
  // then the session ended and connections closed.
  let shutdownDone = false;
  app.on('before-quit', (event) => {
    if (shutdownDone) return;
    event.preventDefault();
    void shutdown.run().finally(() => {
      shutdownDone = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(async () => {
      const appRoot = app.getAppPath();
      guardSession(session.defaultSession);
      serveAppScheme(
        session.defaultSession,
        createAppFileHandler({ root: path.join(appRoot, 'build', 'renderer'), contentSecurityPolicy: buildContentSecurityPolicy() }),
      );

      // safeStorage is usable only after `ready`.
      const station = createStation({
        configStore: createStationConfigStore({
          dir: config.dataDir ?? app.getPath('userData'),
          secrets: createSafeStorageSecretStore(safeStorage, process.platform),
        }),
        fileChooser: createDialogFileChooser(dialog, liveWindow),
        events,
        clock,
        timers,
        log,
        defaultServerUrl: config.defaultServerUrl,
        createBackend: (serverUrl, certificate, observer, { probe }) =>
          createBackendClient({
            serverUrl,
            certificate,
            clock,
            observer,
            newIdempotencyKey: randomUUID,
            sleep: sleepWith(timers),
            // The setup check answers at once, also when the server is down: the person is waiting.
            ...(probe ? { retry: { attempts: 1 } } : {}),
          }),
      });
      shutdown.register('close', 'backend session', () => station.shutdown());

      const runner = createExecFileRunner();
      const printer =
        printingConfig.adapter === 'windows'
          ? createWindowsPrinter({ runner, sumatraPath: printingConfig.sumatraPath, tempDir: app.getPath('temp') })
          : createCupsPrinter({ runner, env: process.env });
      // Made on the first print: a missing font then answers PRINT_FONT_MISSING instead of stopping the start.
      let sheetRenderer: TicketSheetRenderer | undefined;
      const printing = createStationPrinting({
        station,
        printer,
        renderer: () => (sheetRenderer ??= createTicketSheetRenderer({ fontDir: findTicketFontDir(printingConfig.fontDirs) })),
        clock,
        log,
      });
      shutdown.register('flush', 'print confirmations', () => printing.service.resolvePending());

      // Entry mode: scan list and journal under the station's data directory; the journal is flushed
      // (a last upload attempt) before the session ends on quit.
      const entry = createStationEntry({
        http: () => station.backend()?.http,
        dataDir: config.dataDir ?? app.getPath('userData'),
        secrets: createSafeStorageSecretStore(safeStorage, process.platform),
        clock,
        timers,
        events,
        log,
      });
      shutdown.register('flush', 'entry journal', () => entry.shutdown());

      // The HID scanner the settings name (node-hid is loaded only then); a settings change restarts it.
      const scanners = createScannerRouter({
        openScanner: async (s) => createHidScanner({ hid: await loadNodeHid(), timers, clock, match: { vendorId: s.vendorId, productId: s.productId } }),
        events,
        log,
      });
      shutdown.register('close', 'HID scanner', async () => scanners.stop());
      const followScanner = async <T extends Awaited<ReturnType<Station['saveSettings']>>>(result: T): Promise<T> => {
        if (result.ok) await scanners.apply(result.value.settings.scanner);
        return result;
      };
      const stationForIpc: Station = {
        ...station,
        importCertificate: async (args) => followScanner(await station.importCertificate(args)),
        saveSettings: async (settings) => followScanner(await station.saveSettings(settings)),
      };

      registerIpcHandlers({
        ipcMain,
        handlers: createIpcHandlers(stationForIpc, printing, entry),
        log,
        isTrustedSender: (event) => isTrustedSender(event, liveWindow()?.webContents),
      });

      mainWindow = createMainWindow({
        preloadPath: path.join(appRoot, 'build', 'preload', 'index.cjs'),
        additionalArguments: [appVersionArgument(app.getVersion())],
        devTools: !app.isPackaged,
      });
      mainWindow.on('closed', () => {
        mainWindow = undefined;
      });
      // Started before the page loads; the IPC handlers wait for it, so the first screen sees the
      // final state (set up or not) rather than a guess.
      station
        .start()
        .then(() => scanners.apply(station.setupState().station?.settings.scanner))
        .catch((error: unknown) => {
          log.error('station start failed', { error: String(error) });
        });
      await mainWindow.loadURL(APP_ENTRY_URL);
    })
    .catch((error: unknown) => {
      failAndExit(
        'Die Oberfläche der Station konnte nicht geladen werden. Bitte „npm run build“ ausführen bzw. die Installation wiederholen.',
        error,
      );
    });
}

main();
