import { BrowserWindow } from 'electron';

export interface MainWindowOptions {
  /** Absolute path of the bundled CommonJS preload (build/preload/index.cjs). */
  readonly preloadPath: string;
  /** Passed to the preload through argv, because a sandboxed preload cannot call `app.getVersion()`. */
  readonly additionalArguments: readonly string[];
  /** Off in the installed app: a clerk has no use for a JavaScript console at the till. */
  readonly devTools: boolean;
}

/**
 * The one station window. The webPreferences are the Electron security checklist, written out even
 * where they equal today's defaults so that a changed default or a careless edit shows up in review.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'Kasse & Druckstation',
    // Shown once the first frame is painted, so the counter never sees a white flash.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      // The spellchecker downloads dictionaries from Google; a till needs neither the traffic nor the red lines.
      spellcheck: false,
      devTools: options.devTools,
      additionalArguments: [...options.additionalArguments],
    },
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  return window;
}
