/** Moved to src/sheet-render; see ticket-sheet-pdf.ts. */
export * from '../../sheet-render/code128.js';
