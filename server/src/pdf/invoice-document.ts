import type { InvoiceKind, InvoiceLine, Party, RateTotal, Settlement } from '../../../src/shared/api/invoicing.js';
import type { PdfContent, PdfDocument } from './document.js';
import { formatEuro } from './format.js';

/** Everything printed on an invoice, frozen at issue. */
export interface InvoiceDocumentData {
  kind: InvoiceKind;
  numberLabel: string;
  issueDate: string;
  serviceDate: string | null;
  periodFrom: string | null;
  periodTo: string | null;
  issuer: Party;
  recipient: Party | null;
  lines: InvoiceLine[];
  rates: RateTotal[];
  netCents: number;
  taxCents: number;
  grossCents: number;
  smallAmount: boolean;
  note: string | null;
  orderNumber: number | null;
  settlement: Settlement | null;
  cancels: { numberLabel: string; issueDate: string; reason: string } | null;
  /** Instant of issue: written into the PDF as its creation date, which makes the bytes reproducible. */
  issuedAt: Date;
}

const TITLES: Record<InvoiceKind, string> = {
  business_order: 'Rechnung',
  outlet_settlement: 'Abrechnung Vorverkaufsstelle (Provisionsrechnung)',
  promoter_settlement: 'Veranstalterabrechnung',
  cancellation: 'Stornorechnung',
};

const LABELS = {
  number: 'Rechnungsnummer',
  issueDate: 'Rechnungsdatum',
  serviceDate: 'Leistungsdatum',
  period: 'Leistungszeitraum',
  order: 'Auftrag',
  taxNumber: 'Steuernummer',
  vatId: 'USt-IdNr.',
  recipientVatId: 'USt-IdNr. des Empfängers',
  pos: 'Pos.',
  qty: 'Menge',
  description: 'Bezeichnung',
  unit: 'Einzelpreis (brutto)',
  amount: 'Betrag (brutto)',
  rate: 'USt',
  net: 'Netto',
  tax: 'USt-Betrag',
  gross: 'Brutto',
  total: 'Rechnungsbetrag',
  smallAmount: 'Kleinbetragsrechnung (§ 33 UStDV): Der Rechnungsbetrag enthält die Umsatzsteuer zum angegebenen Steuersatz.',
  cancels: (label: string, date: string) => `Storno der Rechnung ${label} vom ${date}. Alle Beträge dieser Rechnung werden aufgehoben.`,
  reason: 'Grund',
  bank: 'Bankverbindung',
  payment: (label: string) => `Bitte überweisen Sie den Rechnungsbetrag unter Angabe der Rechnungsnummer ${label}.`,
  transferBalance: (amount: string, label: string, iban: string | undefined) =>
    `Die Provision ist mit den Verkaufserlösen verrechnet. Der abzuführende Betrag von ${amount} wird unter Angabe der Nummer ${label} auf das Treuhandkonto${iban === undefined ? '' : ` (IBAN ${iban})`} überwiesen.`,
  settlement: 'Abrechnung',
  sales: 'Verkäufe',
  refunds: 'Erstattungen',
  netSales: 'Umsatz netto der Erstattungen',
  tickets: 'Tickets',
  outletCommission: (rate: string) => `Provision (${rate}) inkl. 19 % USt`,
  platformFee: (rate: string) => `Plattformgebühr (${rate}) inkl. 19 % USt`,
  owed: 'An das Treuhandkonto abzuführen',
  payout: 'Auszahlung an den Veranstalter',
  revenue: 'Ticketumsatz aller Vorverkaufsstellen',
  perOutlet: 'Umsatz je Vorverkaufsstelle',
  page: (page: number, pages: number) => `Seite ${page} von ${pages}`,
} as const;

/** "2026-12-04" → "04.12.2026". */
export const formatDay = (day: string): string => {
  const [y, m, d] = day.split('-');
  return `${d}.${m}.${y}`;
};

const percent = (bp: number): string => `${(bp / 100).toLocaleString('de-DE', { maximumFractionDigits: 2 })} %`;

function partyBlock(party: Party, options: { withTaxIds: boolean }): PdfContent {
  const lines: PdfContent[] = [{ text: party.name, bold: true }];
  if (party.contactName !== undefined) lines.push(party.contactName);
  lines.push(party.street, `${party.postalCode} ${party.city}`);
  if (party.country !== 'DE') lines.push(party.country);
  if (options.withTaxIds) {
    if (party.phone !== undefined) lines.push(`Tel. ${party.phone}`);
    if (party.email !== undefined) lines.push(party.email);
    if (party.taxNumber !== undefined) lines.push(`${LABELS.taxNumber}: ${party.taxNumber}`);
    if (party.vatId !== undefined) lines.push(`${LABELS.vatId}: ${party.vatId}`);
  }
  return { stack: lines };
}

/** The invoice as a PDF document (German). */
export function invoiceDocument(data: InvoiceDocumentData): PdfDocument {
  const title = TITLES[data.kind];
  const facts: PdfContent[][] = [
    [LABELS.number, { text: data.numberLabel, bold: true }],
    [LABELS.issueDate, formatDay(data.issueDate)],
  ];
  if (data.periodFrom !== null && data.periodTo !== null) facts.push([LABELS.period, `${formatDay(data.periodFrom)} – ${formatDay(data.periodTo)}`]);
  else if (data.serviceDate !== null) facts.push([LABELS.serviceDate, formatDay(data.serviceDate)]);
  if (data.orderNumber !== null) facts.push([LABELS.order, String(data.orderNumber)]);

  const lineRows: PdfContent[][] = [
    [
      { text: LABELS.pos, bold: true },
      { text: LABELS.qty, bold: true, alignment: 'right' },
      { text: LABELS.description, bold: true },
      { text: LABELS.rate, bold: true, alignment: 'right' },
      { text: LABELS.unit, bold: true, alignment: 'right' },
      { text: LABELS.amount, bold: true, alignment: 'right' },
    ],
    ...data.lines.map((l): PdfContent[] => [
      String(l.position),
      { text: String(l.quantity), alignment: 'right' },
      l.description,
      { text: percent(l.vatRateBp), alignment: 'right' },
      { text: formatEuro(l.unitGrossCents), alignment: 'right' },
      { text: formatEuro(l.lineGrossCents), alignment: 'right' },
    ]),
  ];

  const rateRows: PdfContent[][] = [
    [
      { text: LABELS.rate, bold: true },
      { text: LABELS.net, bold: true, alignment: 'right' },
      { text: LABELS.tax, bold: true, alignment: 'right' },
      { text: LABELS.gross, bold: true, alignment: 'right' },
    ],
    ...data.rates.map((r): PdfContent[] => [
      percent(r.vatRateBp),
      { text: formatEuro(r.netCents), alignment: 'right' },
      { text: formatEuro(r.taxCents), alignment: 'right' },
      { text: formatEuro(r.grossCents), alignment: 'right' },
    ]),
    [
      { text: LABELS.total, bold: true },
      { text: formatEuro(data.netCents), alignment: 'right', bold: true },
      { text: formatEuro(data.taxCents), alignment: 'right', bold: true },
      { text: formatEuro(data.grossCents), alignment: 'right', bold: true },
    ],
  ];

  const content: PdfContent[] = [
    { columns: [{ width: '*', stack: [{ text: `${data.issuer.name} · ${data.issuer.street} · ${data.issuer.postalCode} ${data.issuer.city}`, style: 'small', margin: [0, 0, 0, 4] }, data.recipient === null ? '' : partyBlock(data.recipient, { withTaxIds: false })] }, { width: 200, ...partyBlockWithIds(data.issuer) }] },
    { text: title, style: 'title' },
    { table: { widths: [120, '*'], body: facts }, layout: 'noBorders' },
  ];
  if (data.recipient?.vatId !== undefined) content.push({ text: `${LABELS.recipientVatId}: ${data.recipient.vatId}`, style: 'small', margin: [0, 4, 0, 0] });
  if (data.cancels !== null) {
    content.push({ text: LABELS.cancels(data.cancels.numberLabel, formatDay(data.cancels.issueDate)), bold: true, margin: [0, 10, 0, 0] });
    content.push({ text: `${LABELS.reason}: ${data.cancels.reason}`, margin: [0, 2, 0, 0] });
  }
  content.push({ table: { headerRows: 1, widths: [24, 36, '*', 36, 80, 80], body: lineRows }, layout: 'lightHorizontalLines', margin: [0, 14, 0, 0] });
  content.push({ table: { headerRows: 1, widths: ['*', 90, 90, 90], body: rateRows, dontBreakRows: true }, layout: 'lightHorizontalLines', margin: [0, 12, 0, 0] });
  if (data.smallAmount) content.push({ text: LABELS.smallAmount, style: 'small', margin: [0, 6, 0, 0] });
  if (data.settlement !== null) content.push(settlementSection(data.settlement));
  if (data.note !== null) content.push({ text: data.note, margin: [0, 12, 0, 0] });
  if (data.kind === 'business_order' && data.grossCents > 0) content.push({ text: LABELS.payment(data.numberLabel), margin: [0, 12, 0, 0] });
  if (data.kind === 'outlet_settlement' && data.settlement !== null && data.settlement.balanceCents > 0) {
    content.push({ text: LABELS.transferBalance(formatEuro(data.settlement.balanceCents), data.numberLabel, data.recipient?.iban), margin: [0, 12, 0, 0] });
  }
  if (data.issuer.iban !== undefined) {
    content.push({ text: `${LABELS.bank}: ${data.issuer.bankName ?? ''} IBAN ${data.issuer.iban}`.replace(':  ', ': '), style: 'small', margin: [0, 4, 0, 0] });
  }

  return {
    info: { title: `${title} ${data.numberLabel}`, author: data.issuer.name, subject: `${title} ${data.numberLabel}`, creationDate: data.issuedAt },
    language: 'de-DE',
    pageSize: 'A4',
    pageMargins: [50, 50, 50, 60],
    styles: {
      title: { fontSize: 18, bold: true, margin: [0, 24, 0, 8] },
      section: { fontSize: 12, bold: true, margin: [0, 14, 0, 4] },
      small: { fontSize: 8, color: '#444444' },
    },
    defaultStyle: { fontSize: 9 },
    content,
    footer: (page, pages) => ({ text: `${data.issuer.name} · ${data.numberLabel} · ${LABELS.page(page, pages)}`, style: 'small', alignment: 'center', margin: [0, 20, 0, 0] }),
  };
}

function partyBlockWithIds(party: Party): { stack: PdfContent[] } {
  const block = partyBlock(party, { withTaxIds: true }) as { stack: PdfContent[] };
  return { stack: block.stack.map((c) => (typeof c === 'string' ? { text: c, alignment: 'right' as const } : { ...(c as object), alignment: 'right' as const } as PdfContent)) };
}

function settlementSection(s: Settlement): PdfContent {
  const row = (label: string, cents: number, bold = false): PdfContent[] => [{ text: label, bold }, { text: formatEuro(cents), alignment: 'right', bold }];
  const rows: PdfContent[][] =
    s.kind === 'outlet'
      ? [
          row(LABELS.sales, s.salesCents),
          row(LABELS.refunds, s.refundsCents),
          row(LABELS.netSales, s.netSalesCents),
          row(LABELS.outletCommission(percent(s.rateBp)), -s.feeGrossCents),
          row(LABELS.owed, s.balanceCents, true),
        ]
      : [
          row(`${LABELS.revenue}${s.eventName === null ? '' : ` – ${s.eventName}`} (${s.ticketCount} ${LABELS.tickets})`, s.netSalesCents),
          row(LABELS.platformFee(percent(s.rateBp)), -s.feeGrossCents),
          row(LABELS.payout, s.balanceCents, true),
        ];
  const parts: PdfContent[] = [{ text: LABELS.settlement, style: 'section' }, { table: { widths: ['*', 110], body: rows, dontBreakRows: true }, layout: 'lightHorizontalLines' }];
  if (s.kind === 'promoter' && s.perOutlet.length > 0) {
    parts.push({ text: LABELS.perOutlet, style: 'section' });
    parts.push({
      table: { widths: ['*', 60, 110], body: s.perOutlet.map((o): PdfContent[] => [o.outletName, { text: String(o.ticketCount), alignment: 'right' }, { text: formatEuro(o.salesCents), alignment: 'right' }]) },
      layout: 'lightHorizontalLines',
    });
  }
  return parts;
}
