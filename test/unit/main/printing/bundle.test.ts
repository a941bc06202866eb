/**
 * The packaged station ships main as one esbuild bundle and no node_modules (electron-builder.yml), so
 * pdfmake, fontkit and jsbarcode must be bundled and work from there: the renderer is bundled as main
 * is, copied outside the repository, run with plain Node, and must write a valid one-page sheet.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stationBundleOptions } from '../../../../scripts/build-station.js';
import { findTicketFontDir, SYSTEM_FONT_DIR } from '../../../../src/main/printing/ticket-sheet-pdf.js';

const root = path.resolve(import.meta.dirname, '../../../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sheet-bundle-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('renders a ticket sheet from the main-process bundle without node_modules', async () => {
  const entry = path.join(dir, 'entry.ts');
  await writeFile(
    entry,
    [
      `import { writeFileSync } from 'node:fs';`,
      `import { createTicketSheetRenderer } from ${JSON.stringify(path.join(root, 'src/main/printing/ticket-sheet-pdf.ts'))};`,
      `import { sampleSheetFaces } from ${JSON.stringify(path.join(root, 'src/shared/ticket-sheet/sample-faces.ts'))};`,
      `const renderer = createTicketSheetRenderer({ fontDir: process.argv[2] });`,
      `renderer.renderTickets({ faces: sampleSheetFaces(1), calibration: { offsetXMm: 1, offsetYMm: 1 }, startPosition: 1 }).then((pdf) => writeFileSync(process.argv[3], pdf));`,
    ].join('\n'),
  );
  const outfile = path.join(dir, 'main.cjs');
  await build({ ...stationBundleOptions({ entry, outfile }, root), sourcemap: false, legalComments: 'none' });
  const pdfFile = path.join(dir, 'sheet.pdf');
  // cwd and the script outside the repository: nothing can be resolved from its node_modules.
  await promisify(execFile)(process.execPath, [outfile, findTicketFontDir([SYSTEM_FONT_DIR]), pdfFile], { cwd: dir, env: { PATH: process.env['PATH'] ?? '' }, timeout: 60_000 });
  const pdf = await readFile(pdfFile);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect((pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length).toBe(1);
  expect(pdf.toString('latin1')).toMatch(/DejaVuSans/);
});
