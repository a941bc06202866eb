/**
 * Code 128 encoding with jsbarcode's encoder (not its renderers: they need a DOM or canvas). The
 * result is the module string the sheet draws as vector rectangles, so every bar is exactly a whole
 * number of modules wide in the PDF. jsbarcode picks code set C for digit pairs (11 modules per pair).
 */
import { CODE128 } from 'jsbarcode/bin/barcodes/CODE128/index.js';
import type { BarcodeEncoder } from '../shared/ticket-sheet/sheet-document.js';

export const encodeCode128: BarcodeEncoder = (digits) => {
  // Tickets carry digits only (DESIGN.md §4); anything else is a bug upstream, not something to print.
  if (!/^[0-9]{1,80}$/.test(digits)) throw new RangeError('a ticket barcode is 1 to 80 digits');
  const symbol = new CODE128(digits, {});
  if (!symbol.valid()) throw new RangeError('jsbarcode refused the barcode');
  return symbol.encode().data;
};
