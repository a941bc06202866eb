import type { BoxofficeApi } from '../app/bridge.js';

/**
 * What the UI can offer where it runs. In the desktop station, main prints silently on the security
 * paper and reads HID scanners; in a browser (web mode, /app/ on the backend) printing means a PDF for
 * download or the print dialog, and only keyboard-wedge scanners work. Screens ask here instead of
 * checking for the bridge themselves, and say so when a function is desktop-only.
 */
export interface Capabilities {
  readonly desktop: boolean;
  readonly silentPrinting: boolean;
  readonly hidScanner: boolean;
  readonly keyboardWedgeScanner: boolean;
  readonly pdfDownload: boolean;
}

export function capabilitiesFor(bridge: BoxofficeApi | undefined): Capabilities {
  if (bridge === undefined) {
    return { desktop: false, silentPrinting: false, hidScanner: false, keyboardWedgeScanner: true, pdfDownload: true };
  }
  // The station's session refuses downloads (guards.ts); tickets go straight to the printer.
  return { desktop: true, silentPrinting: true, hidScanner: true, keyboardWedgeScanner: true, pdfDownload: false };
}
