/** Moved to src/sheet-render; see ticket-sheet-pdf.ts. */
export * from '../../sheet-render/font-tables.js';
