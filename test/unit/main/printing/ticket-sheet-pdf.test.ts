/**
 * The rendered PDF itself: exact A4 pages, one per physical sheet, and calibration offsets that move
 * every drawn element (text positions, bars, lines) by exactly the offset. Read from the uncompressed
 * content stream, so this checks what a printer gets, not what the builder meant.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCode128 } from '../../../../src/main/printing/code128.js';
import { createTicketSheetRenderer, findTicketFontDir, SYSTEM_FONT_DIR, TicketFontMissingError, type TicketSheetRenderer } from '../../../../src/main/printing/ticket-sheet-pdf.js';
import { mmToPt, TICKET, type Calibration, type StartPosition } from '../../../../src/shared/ticket-sheet/layout.js';
import { sampleFace, sampleSheetFaces } from '../../../../src/shared/ticket-sheet/sample-faces.js';

const AT = new Date('2026-12-04T15:30:00.000Z');
/** The process's one pdfmake object, as the server's renderer sees it. */
const pdfmake = createRequire(import.meta.url)('pdfmake') as { setFonts(fonts: object): void };
let renderer: TicketSheetRenderer;

beforeAll(() => {
  // Debian's fonts-dejavu-core, installed by .ci/run; missing fonts fail here rather than skip.
  renderer = createTicketSheetRenderer({ fontDir: findTicketFontDir([SYSTEM_FONT_DIR]) });
});

interface Positions {
  /** Text origins (Tm e f, PDF's bottom-up y). */
  texts: Array<[number, number]>;
  /** Rectangles (x y w h re, in pdfkit's top-down user space). */
  rects: Array<[number, number, number, number]>;
  /** Path points of lines and bar outlines (m / l, top-down). */
  points: Array<[number, number]>;
  /** The same points grouped into paths (each starts with m). */
  paths: Array<Array<[number, number]>>;
  pages: number;
}

function positions(pdf: Buffer): Positions {
  const body = pdf.toString('latin1');
  const num = String.raw`(-?\d+(?:\.\d+)?)`;
  const all = (pattern: string) => [...body.matchAll(new RegExp(pattern, 'gm'))].map((m) => m.slice(1).map(Number));
  const paths: Array<Array<[number, number]>> = [];
  for (const m of body.matchAll(new RegExp(String.raw`^${num} ${num} ([ml])$`, 'gm'))) {
    const point: [number, number] = [Number(m[1]), Number(m[2])];
    if (m[3] === 'm') paths.push([point]);
    else paths.at(-1)!.push(point);
  }
  return {
    texts: all(String.raw`^1 0 0 1 ${num} ${num} Tm$`) as Array<[number, number]>,
    rects: all(String.raw`^${num} ${num} ${num} ${num} re$`) as Array<[number, number, number, number]>,
    points: paths.flat(),
    paths,
    pages: (body.match(/\/Type \/Page\b/g) ?? []).length,
  };
}

/** Bars [x, width, height] of a barcode outline: per bar bottom-left, top-left, top-right, bottom-right. */
function barsOf(path: Array<[number, number]>): Array<[number, number, number]> {
  expect(path.length % 4).toBe(0);
  const bars: Array<[number, number, number]> = [];
  for (let i = 0; i < path.length; i += 4) {
    const [[x0, bottom], [x1, top], [x2, top2], [x3, bottom2]] = [path[i]!, path[i + 1]!, path[i + 2]!, path[i + 3]!];
    expect([x1, top2, bottom2, x3]).toEqual([x0, top, bottom, x2]);
    bars.push([x0, x2 - x0, bottom - top]);
  }
  return bars;
}

const render = (calibration: Calibration, startPosition: StartPosition = 1, faces = sampleSheetFaces(1)) =>
  renderer.renderTickets({ faces, calibration, startPosition }, { compress: false, creationDate: AT });

function expectShifted(base: Positions, moved: Positions, calibration: Calibration) {
  const dx = mmToPt(calibration.offsetXMm);
  const dy = mmToPt(calibration.offsetYMm);
  // pdfkit writes six decimals.
  const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThan(2e-6 * 10);
  expect(moved.texts.length).toBe(base.texts.length);
  expect(moved.rects.length).toBe(base.rects.length);
  expect(moved.points.length).toBe(base.points.length);
  base.texts.forEach(([x, y], i) => {
    close(moved.texts[i]![0], x + dx);
    close(moved.texts[i]![1], y - dy);
  });
  base.rects.forEach(([x, y, w, h], i) => {
    close(moved.rects[i]![0], x + dx);
    close(moved.rects[i]![1], y + dy);
    close(moved.rects[i]![2], w);
    close(moved.rects[i]![3], h);
  });
  base.points.forEach(([x, y], i) => {
    close(moved.points[i]![0], x + dx);
    close(moved.points[i]![1], y + dy);
  });
}

describe('ticket sheet PDF', () => {
  it('is one exact A4 page per sheet with every blank’s texts and bars', async () => {
    const pdf = await render({ offsetXMm: 0, offsetYMm: 0 });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const body = pdf.toString('latin1');
    expect(body).toMatch(/\/MediaBox \[0 0 595\.27559\d* 841\.88976\d*\]/);
    const found = positions(pdf);
    expect(found.pages).toBe(1);
    // Each blank: two copies of its barcode (ticket and stub), each one outline with a bar per run of ones.
    const expectedBars = sampleSheetFaces(1).flatMap((face) => {
      const runs = (encodeCode128(face.barcode).match(/1+/g) ?? []).length;
      return [runs, runs];
    });
    expect(found.paths.map((path) => barsOf(path).length)).toEqual(expectedBars);
    expect(found.texts.length).toBeGreaterThan(3 * 15);
  });

  it('marks a reprint’s ticket and stub "DUPLIKAT", and a first print not (text as pdftotext extracts it)', async () => {
    // poppler-utils, installed by .ci/run; a missing pdftotext fails here rather than skips.
    const dir = await mkdtemp(path.join(tmpdir(), 'duplikat-'));
    try {
      const textOf = async (duplicate: boolean) => {
        const file = path.join(dir, `${String(duplicate)}.pdf`);
        await writeFile(file, await renderer.renderTickets({ faces: [sampleFace(1, { duplicate, reprintCount: 1 })], calibration: { offsetXMm: 0, offsetYMm: 0 }, startPosition: 1 }, { creationDate: AT }));
        return (await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', file, '-'])).stdout;
      };
      const reprint = await textOf(true);
      expect(reprint.match(/DUPLIKAT/g)).toHaveLength(2);
      expect(reprint).toContain('Ersatzticket (2. Druck)');
      const first = await textOf(false);
      expect(first).not.toContain('DUPLIKAT');
      expect(first).toContain('Blanko-Nr. 1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('draws bars exactly a whole number of modules wide, after a quiet zone of ten modules', async () => {
    const face = sampleFace(1);
    const pdf = await render({ offsetXMm: 0, offsetYMm: 0 }, 1, [face]);
    const pattern = encodeCode128(face.barcode);
    const module = mmToPt(TICKET.moduleMm);
    const ticketBars = barsOf(positions(pdf).paths[0]!);
    const runs = [...pattern.matchAll(/1+/g)];
    expect(ticketBars).toHaveLength(runs.length);
    runs.forEach((run, i) => {
      const [x, w, h] = ticketBars[i]!;
      expect(x).toBeCloseTo(mmToPt(TICKET.left) + (10 + run.index) * module, 5);
      expect(w).toBeCloseTo(run[0].length * module, 5);
      expect(h).toBeCloseTo(mmToPt(TICKET.barcodeHeight), 5);
    });
  });

  it('moves every element by exactly the calibration offset', async () => {
    const base = positions(await render({ offsetXMm: 0, offsetYMm: 0 }));
    for (const calibration of [
      { offsetXMm: 1.5, offsetYMm: -2.3 },
      { offsetXMm: -20, offsetYMm: 20 },
      { offsetXMm: 0.1, offsetYMm: 0 },
    ]) {
      const moved = positions(await render(calibration));
      // Even a 20 mm shift down keeps one page: the overflow is clipped by the printer, not paginated.
      expect(moved.pages).toBe(1);
      expectShifted(base, moved, calibration);
    }
  });

  it('moves the calibration sheet’s crosshairs, rulers and texts by exactly the offset', async () => {
    const sheet = (calibration: Calibration) => renderer.renderCalibration({ calibration, workstationName: 'Kasse 1', compress: false, creationDate: AT });
    const base = positions(await sheet({ offsetXMm: 0, offsetYMm: 0 }));
    expect(base.points.length).toBeGreaterThan(2 * (211 + 298));
    const calibration = { offsetXMm: -3.7, offsetYMm: 4.2 };
    const moved = positions(await sheet(calibration));
    // The printed offset text differs, so only positions are compared.
    expectShifted(base, moved, calibration);
  });

  it('puts a partly used sheet’s tickets into slots 2 and 3, one blank height lower each', async () => {
    const faces = [sampleFace(2), sampleFace(3)];
    const fromTwo = positions(await render({ offsetXMm: 0, offsetYMm: 0 }, 2, faces));
    const asOne = positions(await render({ offsetXMm: 0, offsetYMm: 0 }, 1, [sampleFace(1), sampleFace(2), sampleFace(3)]));
    expect(fromTwo.pages).toBe(1);
    expect(fromTwo.paths.length * 3).toBe(asOne.paths.length * 2);
    const topBar = Math.min(...fromTwo.points.map(([, y]) => y));
    expect(topBar).toBeCloseTo(mmToPt(99 + TICKET.barcodeY), 4);
  });

  it('renders one page per sheet for a longer job', async () => {
    const faces = Array.from({ length: 7 }, (_, i) => sampleFace(4 + i));
    expect(positions(await render({ offsetXMm: 0, offsetYMm: 0 }, 1, faces)).pages).toBe(3);
  });

  it('gives the same bytes for the same job (fixed creation date)', async () => {
    const job = { faces: sampleSheetFaces(1), calibration: { offsetXMm: 0, offsetYMm: 0 }, startPosition: 1 as const };
    const a = await renderer.renderTickets(job, { creationDate: AT });
    const b = await renderer.renderTickets(job, { creationDate: AT });
    expect(a.equals(b)).toBe(true);
  });

  it('keeps its font when other code in the process replaces pdfmake’s fonts (the server’s renderer does)', async () => {
    pdfmake.setFonts({});
    const pdf = await render({ offsetXMm: 0, offsetYMm: 0 });
    expect(positions(pdf).pages).toBe(1);
  });

  it('refuses letters in a barcode and reports a missing font clearly', () => {
    expect(() => encodeCode128('12345A')).toThrow(RangeError);
    expect(() => findTicketFontDir(['/nonexistent'])).toThrow(TicketFontMissingError);
  });
});
