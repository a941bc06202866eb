import type { InvoiceKind, RateTotal } from '../../../../src/shared/api/invoicing.js';

/**
 * A DATEV-style booking list (not the licensed DATEV format header): one line per invoice and VAT rate,
 * semicolon-separated, German decimal comma, UTF-8 with a header line. Columns:
 *   Umsatz            gross amount of the rate, always positive ("1234,56")
 *   Soll/Haben        S for invoices (receivable debited), H for cancellations
 *   WKZ               currency, EUR
 *   Konto             debitor account: 10000 (collective debitor; the list names the recipient)
 *   Gegenkonto        revenue account by rate (SKR 03): 8400 (19 %), 8300 (7 %), 8200 (0 %)
 *   Belegdatum        invoice date DDMM
 *   Belegfeld 1       invoice number
 *   Buchungstext      recipient name, at most 60 characters
 *   Steuersatz        rate in percent ("19,00")
 *   Steuerbetrag      tax of the rate ("190,00", positive)
 *   Belegdatum (voll) invoice date YYYY-MM-DD (for tools that need the year)
 */
export const DATEV_COLUMNS = ['Umsatz', 'Soll/Haben', 'WKZ', 'Konto', 'Gegenkonto', 'Belegdatum', 'Belegfeld 1', 'Buchungstext', 'Steuersatz', 'Steuerbetrag', 'Belegdatum (voll)'] as const;

const REVENUE_ACCOUNT: Record<number, string> = { 1900: '8400', 700: '8300', 0: '8200' };
export const DEBITOR_ACCOUNT = '10000';

const decimal = (cents: number): string => `${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/** Quotes a text field; semicolons, quotes and line breaks cannot break the columns, nor can a leading = start a formula. */
const text = (value: string): string => `"${value.replace(/[\r\n]+/g, ' ').replace(/^[=+\-@]/, "'$&").replaceAll('"', '""')}"`;

export function datevCsv(rows: ReadonlyArray<{ numberLabel: string; issueDate: string; recipientName: string; rates: RateTotal[]; kind: InvoiceKind }>): string {
  const out = [DATEV_COLUMNS.join(';')];
  for (const r of rows) {
    for (const rate of r.rates) {
      if (rate.grossCents === 0) continue;
      const [y, m, d] = r.issueDate.split('-');
      out.push(
        [
          decimal(rate.grossCents),
          rate.grossCents < 0 ? 'H' : 'S',
          'EUR',
          DEBITOR_ACCOUNT,
          REVENUE_ACCOUNT[rate.vatRateBp] ?? '8200',
          `${d}${m}`,
          text(r.numberLabel),
          text(r.recipientName.slice(0, 60)),
          decimal(rate.vatRateBp),
          decimal(rate.taxCents),
          `${y}-${m}-${d}`,
        ].join(';'),
      );
    }
  }
  return `${out.join('\r\n')}\r\n`;
}
