import type { BlankCounts, StockReport } from '../../../src/shared/api/printing.js';
import type { PdfContent, PdfDocument } from './document.js';
import { formatDateTime } from './format.js';

/** German first: the report is a document for the outlet's accounting of its security paper. */
const LABELS = {
  title: 'Blankobestand (Sicherheitspapier)',
  outlet: 'Vorverkaufsstelle',
  createdAt: 'Stand',
  batch: 'Charge (Blanko-Nr.)',
  registered: 'Erhalten',
  inStock: 'Im Bestand',
  pending: 'Im Druck',
  unresolved: 'davon ungeklärt',
  printed: 'Gedruckt',
  spoiled: 'Verdorben',
  voided: 'Entwertet (Rest)',
  total: 'Summe',
  balanced: 'Der Bestand ist ausgeglichen: jede Blanko-Nummer ist genau einmal nachgewiesen.',
  unbalanced: 'ACHTUNG: Der Bestand ist nicht ausgeglichen.',
  pendingJobs: 'Offene Druckaufträge',
  noPendingJobs: 'Keine offenen Druckaufträge.',
  job: 'Auftrag',
  workstation: 'Arbeitsplatz',
  issuedAt: 'Ausgegeben',
  by: 'Von',
  blanks: 'Blanko-Nr.',
  unresolvedMark: 'ungeklärt',
  unresolvedNote: (minutes: number) => `„ungeklärt“: seit mehr als ${minutes} Minuten weder als gedruckt bestätigt noch als verdorben gemeldet.`,
  spoiledList: 'Verdorbene Blankos',
  noSpoiled: 'Keine verdorbenen Blankos.',
  reason: 'Grund',
  at: 'Zeitpunkt',
  timeZone: 'Zeitangaben',
  page: (page: number, pages: number) => `Seite ${page} von ${pages}`,
} as const;

const COUNT_KEYS: Array<keyof BlankCounts> = ['registered', 'inStock', 'pending', 'unresolved', 'printed', 'spoiled', 'voided'];

const numbers = (values: number[]): string => {
  // Consecutive numbers as ranges: 301–303, 307.
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j += 1;
    parts.push(i === j ? String(values[i]) : `${values[i]}–${values[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
};

const countRow = (label: string, counts: BlankCounts, bold = false): PdfContent[] => [
  { text: label, bold },
  ...COUNT_KEYS.map((k): PdfContent => ({ text: String(counts[k]), alignment: 'right', bold })),
];

/** The stock report of an outlet's blanks as a PDF document. */
export function stockReportDocument(report: StockReport): PdfDocument {
  const at = (iso: string) => formatDateTime(new Date(iso), report.timeZone);
  const header: PdfContent[] = [LABELS.batch, ...COUNT_KEYS.map((k): PdfContent => ({ text: LABELS[k], alignment: 'right', bold: true }))];
  return {
    info: { title: `${LABELS.title} ${report.outlet.name}`, author: report.outlet.name, subject: LABELS.title, creationDate: new Date(report.createdAt) },
    language: 'de-DE',
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [40, 40, 40, 50],
    styles: {
      title: { fontSize: 16, bold: true, margin: [0, 0, 0, 8] },
      section: { fontSize: 12, bold: true, margin: [0, 14, 0, 4] },
      small: { fontSize: 8, color: '#444444' },
    },
    defaultStyle: { fontSize: 9 },
    content: [
      { text: LABELS.title, style: 'title' },
      {
        table: { widths: [120, '*'], body: [[LABELS.outlet, report.outlet.name], [LABELS.createdAt, at(report.createdAt)]] },
        layout: 'noBorders',
      },
      {
        table: {
          headerRows: 1,
          widths: ['*', 55, 55, 55, 60, 55, 55, 65],
          body: [
            header,
            ...report.batches.map((b) => countRow(`${b.firstNumber}–${b.lastNumber}`, b.counts)),
            countRow(LABELS.total, report.totals, true),
          ],
          dontBreakRows: true,
        },
        layout: 'lightHorizontalLines',
        margin: [0, 12, 0, 4],
      },
      { text: report.balanced ? LABELS.balanced : LABELS.unbalanced, bold: !report.balanced },
      { text: LABELS.pendingJobs, style: 'section' },
      report.pendingJobs.length === 0
        ? { text: LABELS.noPendingJobs }
        : {
            table: {
              headerRows: 1,
              widths: [60, 90, 90, '*', '*', 60],
              body: [
                [LABELS.job, LABELS.issuedAt, LABELS.workstation, LABELS.by, LABELS.blanks, ''].map((text): PdfContent => ({ text, bold: true })),
                ...report.pendingJobs.map((j): PdfContent[] => [
                  String(j.orderNumber),
                  at(j.createdAt),
                  j.workstation.name,
                  `${j.createdBy.displayName} (${j.createdBy.login})`,
                  numbers(j.pendingBlanks),
                  { text: j.unresolved ? LABELS.unresolvedMark : '', bold: true },
                ]),
              ],
              dontBreakRows: true,
            },
            layout: 'lightHorizontalLines',
          },
      { text: LABELS.unresolvedNote(report.unresolvedAfterMinutes), style: 'small', margin: [0, 4, 0, 0] },
      { text: LABELS.spoiledList, style: 'section' },
      report.spoiled.length === 0
        ? { text: LABELS.noSpoiled }
        : {
            table: {
              headerRows: 1,
              widths: [70, 90, 100, '*'],
              body: [
                [LABELS.blanks, LABELS.at, LABELS.workstation, LABELS.reason].map((text): PdfContent => ({ text, bold: true })),
                ...report.spoiled.map((s): PdfContent[] => [String(s.blankNumber), at(s.at), s.workstation?.name ?? '—', s.reason]),
              ],
              dontBreakRows: true,
            },
            layout: 'lightHorizontalLines',
          },
      { text: `${LABELS.timeZone}: ${report.timeZone}.`, style: 'small', margin: [0, 16, 0, 0] },
    ],
    footer: (page, pages) => ({ text: `${LABELS.title} · ${report.outlet.name} · ${LABELS.page(page, pages)}`, style: 'small', alignment: 'center', margin: [0, 20, 0, 0] }),
  };
}
