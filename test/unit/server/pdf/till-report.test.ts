import { describe, expect, it } from 'vitest';
import type { StoredTillReport, TillClosingFacts } from '../../../../src/shared/api/till.js';
import { createPdfRenderer } from '../../../../server/src/pdf/renderer.js';
import { tillReportDocument } from '../../../../server/src/pdf/till-report.js';
import { pdfText } from './pdf-text.js';

const report: StoredTillReport & { closing: TillClosingFacts } = {
  kind: 'Z',
  tillSessionId: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2c',
  outlet: { id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2d', name: 'Vorverkauf Köln Hbf' },
  workstation: { id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2e', name: 'Kasse 1' },
  user: { id: '6f1c1c44-52a5-4a4e-9d2e-0d3c7f6a1b2f', login: 'j.mueller', displayName: 'Jürgen Müller' },
  openedAt: '2026-12-04T08:00:00.000Z',
  createdAt: '2026-12-04T17:30:00.000Z',
  totals: {
    openingFloatCents: 15_000,
    cashSalesCents: 123_456,
    cashRefundsCents: -3_500,
    netCashCents: 119_956,
    cardSalesCents: 55_000,
    cardRefundsCents: -2_500,
    netCardCents: 52_500,
    orderCount: 17,
    ticketCount: 42,
    refundCount: 2,
    expectedCashCents: 134_956,
  },
  closing: {
    number: 7,
    label: 'Z-2026-7',
    closedAt: '2026-12-04T17:30:00.000Z',
    countedCashCents: 134_906,
    differenceCents: -50,
    differenceReason: 'Wechselgeld falsch herausgegeben (Größe: 0,50 €)',
  },
};

describe('closing report (Z-Bon) document', () => {
  it('shows number, outlet, workstation, clerk, times, every total, the difference and its reason', async () => {
    const pdf = await createPdfRenderer().render(tillReportDocument(report, { timeZone: 'Europe/Berlin' }));
    const { text, missingGlyphs, pageCount } = pdfText(pdf);
    expect(missingGlyphs).toBe(0);
    expect(pageCount).toBe(1);
    const lines = text.split('\n').map((l) => l.trim());
    for (const expected of [
      'Kassenabschluss (Z-Bon)',
      'Z-2026-7',
      'VorverkaufsstelleVorverkauf Köln Hbf',
      'ArbeitsplatzKasse 1',
      'Kassierer/inJürgen Müller (j.mueller)',
      'Kasse geöffnet04.12.2026, 09:00',
      'Kasse geschlossen04.12.2026, 18:30',
      'Anfangsbestand (Wechselgeld)150,00\u00a0€',
      'Barverkäufe1.234,56\u00a0€',
      'Bar-Erstattungen-35,00\u00a0€',
      'Saldo bar1.199,56\u00a0€',
      'Soll-Bestand bar1.349,56\u00a0€',
      'Gezählter Bestand (Ist)1.349,06\u00a0€',
      'Differenz (Ist − Soll)-0,50\u00a0€',
      'Kartenumsätze550,00\u00a0€',
      'Karten-Erstattungen-25,00\u00a0€',
      'Saldo Karte525,00\u00a0€',
      'Bezahlte Aufträge17',
      'Verkaufte Tickets42',
      'Erstattungen (Anzahl)2',
      'Z-2026-7 · Seite 1 von 1',
    ]) {
      expect(lines, expected).toContain(expected);
    }
    expect(text.replace(/\s+/g, ' ')).toContain('Begründung der Differenz: Wechselgeld falsch herausgegeben (Größe: 0,50 €)');
    expect(pdf.toString('latin1')).toContain('(Kassenabschluss \\(Z-Bon\\) Z-2026-7)');
  });
});
