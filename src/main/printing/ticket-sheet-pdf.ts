/** Moved to src/sheet-render (the server renders the same sheet for the browser's print path); kept here so the station's imports stay put. */
export * from '../../sheet-render/ticket-sheet-pdf.js';
