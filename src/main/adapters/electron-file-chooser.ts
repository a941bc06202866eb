import type { BrowserWindow, Dialog } from 'electron';
import type { FileChooser } from '../ports/file-chooser.js';

/** The OS file dialog, modal to the station window; the path stays in main. */
export function createDialogFileChooser(dialog: Dialog, getWindow: () => BrowserWindow | undefined): FileChooser {
  return {
    async choosePkcs12() {
      const options: Electron.OpenDialogOptions = {
        title: 'Arbeitsplatz-Zertifikat (.p12) wählen',
        properties: ['openFile'],
        filters: [{ name: 'PKCS#12', extensions: ['p12', 'pfx'] }],
      };
      const window = getWindow();
      const result = window === undefined || window.isDestroyed() ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(window, options);
      return result.canceled ? undefined : result.filePaths[0];
    },
  };
}
