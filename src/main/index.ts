/**
 * Composition root of the Electron main process: reads the configuration, wires the security guards,
 * the app:// file server and the one window. Logic lives in ./app and ./config; this file only
 * decides what is created when.
 */
import path from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { appVersionArgument } from '../preload/app-version.js';
import { createAppFileHandler } from './app/app-files.js';
import { guardSession, guardWebContents, type GuardOptions } from './app/guards.js';
import { APP_ENTRY_URL, buildContentSecurityPolicy } from './app/policy.js';
import { registerAppSchemeAsPrivileged, serveAppScheme } from './app/protocol.js';
import { createMainWindow } from './app/window.js';
import { readStationConfig } from './config.js';

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
  const guardOptions: GuardOptions = { externalOrigins: config.externalOrigins, serverOrigin: config.serverOrigin };
  const contentSecurityPolicy = buildContentSecurityPolicy(config.serverOrigin);

  // Both must happen before `ready`.
  registerAppSchemeAsPrivileged();
  app.enableSandbox();
  app.setAppUserModelId('de.boxoffice.station');

  let mainWindow: BrowserWindow | undefined;

  // Every WebContents (window, frame host, devtools) gets the navigation and window-open guards.
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, guardOptions);
  });
  app.on('second-instance', () => {
    if (mainWindow === undefined) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  // The station has one window; closing it ends the program on every platform.
  app.on('window-all-closed', () => {
    app.quit();
  });

  app
    .whenReady()
    .then(async () => {
      const appRoot = app.getAppPath();
      guardSession(session.defaultSession, guardOptions);
      serveAppScheme(
        session.defaultSession,
        createAppFileHandler({ root: path.join(appRoot, 'build', 'renderer'), contentSecurityPolicy }),
      );
      mainWindow = createMainWindow({
        preloadPath: path.join(appRoot, 'build', 'preload', 'index.cjs'),
        additionalArguments: [appVersionArgument(app.getVersion())],
        devTools: !app.isPackaged,
      });
      mainWindow.on('closed', () => {
        mainWindow = undefined;
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
