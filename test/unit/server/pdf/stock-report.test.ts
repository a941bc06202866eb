import { describe, expect, it } from 'vitest';
import type { StockReport } from '../../../../src/shared/api/printing.js';
import { createPdfRenderer } from '../../../../server/src/pdf/renderer.js';
import { stockReportDocument } from '../../../../server/src/pdf/stock-report.js';
import { pdfText } from './pdf-text.js';

const counts = (c: Partial<StockReport['totals']>): StockReport['totals'] => ({ registered: 0, inStock: 0, pending: 0, unresolved: 0, printed: 0, spoiled: 0, voided: 0, ...c });

const report: StockReport = {
  outlet: { id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2d', name: 'Vorverkauf Köln Hbf' },
  createdAt: '2026-12-04T17:30:00.000Z',
  timeZone: 'Europe/Berlin',
  unresolvedAfterMinutes: 15,
  batches: [
    {
      id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b21',
      outletId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2d',
      firstNumber: 1,
      lastNumber: 300,
      sheets: 100,
      note: '',
      registeredAt: '2026-12-01T09:00:00.000Z',
      counts: counts({ registered: 300, inStock: 280, pending: 4, unresolved: 3, printed: 12, spoiled: 2, voided: 2 }),
    },
    {
      id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b22',
      outletId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2d',
      firstNumber: 3001,
      lastNumber: 3030,
      sheets: 10,
      note: '',
      registeredAt: '2026-12-02T09:00:00.000Z',
      counts: counts({ registered: 30, inStock: 30 }),
    },
  ],
  totals: counts({ registered: 330, inStock: 310, pending: 4, unresolved: 3, printed: 12, spoiled: 2, voided: 2 }),
  balanced: true,
  pendingJobs: [
    {
      printJobId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b23',
      orderId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b24',
      orderNumber: 4711,
      workstation: { id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b25', name: 'Kasse 1' },
      createdBy: { id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b26', login: 'j.mueller', displayName: 'Jürgen Müller' },
      createdAt: '2026-12-04T16:00:00.000Z',
      unresolved: true,
      pendingBlanks: [13, 14, 15],
    },
    {
      printJobId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b27',
      orderId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b28',
      orderNumber: 4712,
      workstation: { id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b25', name: 'Kasse 1' },
      createdBy: { id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b26', login: 'j.mueller', displayName: 'Jürgen Müller' },
      createdAt: '2026-12-04T17:25:00.000Z',
      unresolved: false,
      pendingBlanks: [19],
    },
  ],
  spoiled: [
    { blankNumber: 7, reason: 'paper_jam', at: '2026-12-04T10:00:00.000Z', workstation: { id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b25', name: 'Kasse 1' } },
    { blankNumber: 9, reason: 'other: Kaffee verschüttet', at: '2026-12-04T10:05:00.000Z', workstation: null },
  ],
};

describe('blank stock report document', () => {
  it('shows every batch with its counts and the total, pending jobs with the unresolved ones marked, and spoiled blanks', async () => {
    const pdf = await createPdfRenderer().render(stockReportDocument(report));
    const { text, missingGlyphs, pageCount } = pdfText(pdf);
    expect(missingGlyphs).toBe(0);
    expect(pageCount).toBe(1);
    const lines = text.split('\n').map((l) => l.trim());
    for (const expected of [
      'Blankobestand (Sicherheitspapier)',
      'VorverkaufsstelleVorverkauf Köln Hbf',
      'Stand04.12.2026, 18:30',
      '1–300300280431222',
      '3001–3030303000000',
      'Summe330310431222',
      'Der Bestand ist ausgeglichen: jede Blanko-Nummer ist genau einmal nachgewiesen.',
      '471104.12.2026, 17:00Kasse 1Jürgen Müller (j.mueller)13–15ungeklärt',
      '471204.12.2026, 18:25Kasse 1Jürgen Müller (j.mueller)19',
      '704.12.2026, 11:00Kasse 1paper_jam',
      '904.12.2026, 11:05—other: Kaffee verschüttet',
    ]) {
      expect(lines, expected).toContain(expected);
    }
    // The PDF is A4 landscape.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
  });

  it('says so in bold when the stock does not balance', async () => {
    const { text } = pdfText(await createPdfRenderer().render(stockReportDocument({ ...report, balanced: false, pendingJobs: [], spoiled: [] })));
    expect(text).toContain('ACHTUNG: Der Bestand ist nicht ausgeglichen.');
    expect(text).toContain('Keine offenen Druckaufträge.');
    expect(text).toContain('Keine verdorbenen Blankos.');
  });
});
