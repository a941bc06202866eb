/**
 * Renders the documentation images of the ticket and calibration sheets (sample data, fixed print
 * time, no calibration offset): docs/ticket-sheet.png and docs/calibration-sheet.png.
 *
 *   npx tsx scripts/render-ticket-docs.ts
 *
 * Needs DejaVu Sans (Debian: fonts-dejavu-core) and pdftoppm (poppler-utils), as the tests do.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTicketSheetRenderer, findTicketFontDir, SYSTEM_FONT_DIR } from '../src/main/printing/ticket-sheet-pdf.js';
import { sampleSheetFaces } from '../src/shared/ticket-sheet/sample-faces.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const docs = path.join(root, 'docs');
const AT = new Date('2026-12-04T15:30:00.000Z');
/** Enough to read the stub's 6 pt text, small enough for the repository. */
const DPI = '110';

async function toPng(pdf: Buffer, name: string, dir: string): Promise<string> {
  const pdfFile = path.join(dir, `${name}.pdf`);
  await writeFile(pdfFile, pdf);
  await run('pdftoppm', ['-r', DPI, '-png', '-singlefile', pdfFile, path.join(dir, name)]);
  const target = path.join(docs, `${name}.png`);
  await rename(path.join(dir, `${name}.png`), target);
  return target;
}

const renderer = createTicketSheetRenderer({ fontDir: findTicketFontDir([SYSTEM_FONT_DIR]) });
const dir = await mkdtemp(path.join(tmpdir(), 'ticket-docs-'));
try {
  await mkdir(docs, { recursive: true });
  const calibration = { offsetXMm: 0, offsetYMm: 0 };
  const written = [
    await toPng(await renderer.renderTickets({ faces: sampleSheetFaces(1), calibration, startPosition: 1 }, { creationDate: AT }), 'ticket-sheet', dir),
    await toPng(await renderer.renderCalibration({ calibration, workstationName: 'Kasse 1 (Beispiel)', printerName: 'Ticketdrucker', creationDate: AT }), 'calibration-sheet', dir),
  ];
  process.stdout.write(written.map((file) => `wrote ${path.relative(root, file)}\n`).join(''));
} finally {
  await rm(dir, { recursive: true, force: true });
}
