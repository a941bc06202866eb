import type { StoredTillReport, TillClosingFacts } from '../../../src/shared/api/till.js';
import type { PdfContent, PdfDocument } from './document.js';
import { formatDateTime, formatEuro } from './format.js';

/** German first; the printed closing report is a document for the outlet's books. */
const LABELS = {
  title: 'Kassenabschluss (Z-Bon)',
  outlet: 'Vorverkaufsstelle',
  workstation: 'Arbeitsplatz',
  user: 'Kassierer/in',
  openedAt: 'Kasse geöffnet',
  closedAt: 'Kasse geschlossen',
  cash: 'Bargeld',
  openingFloat: 'Anfangsbestand (Wechselgeld)',
  cashSales: 'Barverkäufe',
  cashRefunds: 'Bar-Erstattungen',
  netCash: 'Saldo bar',
  expectedCash: 'Soll-Bestand bar',
  countedCash: 'Gezählter Bestand (Ist)',
  difference: 'Differenz (Ist − Soll)',
  differenceReason: 'Begründung der Differenz',
  noReason: '—',
  card: 'Kartenzahlungen',
  cardSales: 'Kartenumsätze',
  cardRefunds: 'Karten-Erstattungen',
  netCard: 'Saldo Karte',
  activity: 'Vorgänge',
  orders: 'Bezahlte Aufträge',
  tickets: 'Verkaufte Tickets',
  refunds: 'Erstattungen (Anzahl)',
  signature: 'Unterschrift Kassierer/in',
  timeZone: 'Zeitangaben',
  final: 'Dieser Abschluss ist nummeriert und kann nicht mehr geändert werden.',
  page: (page: number, pages: number) => `Seite ${page} von ${pages}`,
} as const;

const row = (label: string, value: string, options: { bold?: boolean } = {}): PdfContent[] => [
  { text: label, bold: options.bold ?? false },
  { text: value, alignment: 'right', bold: options.bold ?? false },
];

const section = (title: string, rows: PdfContent[][]): PdfContent => [
  { text: title, style: 'section' },
  { table: { widths: ['*', 140], body: rows, dontBreakRows: true }, layout: 'lightHorizontalLines' },
];

/** The closing report (Z-Bon) of a till session as a PDF document. */
export function tillReportDocument(report: StoredTillReport & { closing: TillClosingFacts }, options: { timeZone: string }): PdfDocument {
  const { totals, closing } = report;
  const at = (iso: string) => formatDateTime(new Date(iso), options.timeZone);
  const signed = (cents: number) => (cents > 0 ? `+${formatEuro(cents)}` : formatEuro(cents));
  return {
    info: { title: `${LABELS.title} ${closing.label}`, author: report.outlet.name, subject: `${LABELS.title} ${closing.label}`, creationDate: new Date(closing.closedAt) },
    language: 'de-DE',
    pageSize: 'A4',
    pageMargins: [50, 50, 50, 60],
    styles: {
      title: { fontSize: 18, bold: true, margin: [0, 0, 0, 4] },
      number: { fontSize: 14, bold: true, margin: [0, 0, 0, 16] },
      section: { fontSize: 12, bold: true, margin: [0, 14, 0, 4] },
      small: { fontSize: 8, color: '#444444' },
    },
    defaultStyle: { fontSize: 10 },
    content: [
      { text: LABELS.title, style: 'title' },
      { text: closing.label, style: 'number' },
      {
        table: {
          widths: [140, '*'],
          body: [
            [LABELS.outlet, report.outlet.name],
            [LABELS.workstation, report.workstation.name],
            [LABELS.user, `${report.user.displayName} (${report.user.login})`],
            [LABELS.openedAt, at(report.openedAt)],
            [LABELS.closedAt, at(closing.closedAt)],
          ],
        },
        layout: 'noBorders',
      },
      section(LABELS.cash, [
        row(LABELS.openingFloat, formatEuro(totals.openingFloatCents)),
        row(LABELS.cashSales, formatEuro(totals.cashSalesCents)),
        row(LABELS.cashRefunds, formatEuro(totals.cashRefundsCents)),
        row(LABELS.netCash, formatEuro(totals.netCashCents)),
        row(LABELS.expectedCash, formatEuro(totals.expectedCashCents), { bold: true }),
        row(LABELS.countedCash, formatEuro(closing.countedCashCents), { bold: true }),
        row(LABELS.difference, signed(closing.differenceCents), { bold: true }),
        // Full width: a reason may be up to 500 characters.
        [{ text: [{ text: `${LABELS.differenceReason}: `, bold: true }, closing.differenceReason ?? LABELS.noReason], colSpan: 2 }, ''],
      ]),
      section(LABELS.card, [
        row(LABELS.cardSales, formatEuro(totals.cardSalesCents)),
        row(LABELS.cardRefunds, formatEuro(totals.cardRefundsCents)),
        row(LABELS.netCard, formatEuro(totals.netCardCents), { bold: true }),
      ]),
      section(LABELS.activity, [
        row(LABELS.orders, String(totals.orderCount)),
        row(LABELS.tickets, String(totals.ticketCount)),
        row(LABELS.refunds, String(totals.refundCount)),
      ]),
      { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 220, y2: 0, lineWidth: 0.5 }], margin: [0, 60, 0, 2] },
      { text: LABELS.signature, style: 'small' },
      { text: `${LABELS.timeZone}: ${options.timeZone}. ${LABELS.final}`, style: 'small', margin: [0, 24, 0, 0] },
    ],
    footer: (page, pages) => ({ text: `${closing.label} · ${LABELS.page(page, pages)}`, style: 'small', alignment: 'center', margin: [0, 20, 0, 0] }),
  };
}
