import type { InvoiceKind, InvoiceView, Party } from '../../../../src/shared/api/invoicing.js';
import { AppError } from '../../errors.js';
import { lineNets } from './totals.js';

/** EN 16931 core specification, UBL 2.1 Invoice syntax. */
export const EN16931_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017';
/** XRechnung 3.0, the German CIUS: declared when the data it additionally requires is there. */
export const XRECHNUNG_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0';

/**
 * XRechnung needs the seller's contact (name, telephone, e-mail: BR-DE-2/5/6/7), payment instructions
 * (BR-DE-1; here a SEPA transfer to the seller's IBAN) and both parties' electronic addresses (BT-34,
 * BT-49, mandatory since XRechnung 3.0; here their e-mail addresses).
 */
export const qualifiesForXRechnung = (seller: Party, buyer: Party): boolean =>
  seller.contactName !== undefined && seller.phone !== undefined && seller.email !== undefined && seller.iban !== undefined && buyer.email !== undefined;

/** UNTDID 1001: 380 commercial invoice, 384 corrected invoice (our cancellation: negated quantities and amounts). */
export const TYPE_CODE: Record<InvoiceKind, string> = { business_order: '380', outlet_settlement: '380', promoter_settlement: '380', cancellation: '384' };

const escape = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** Cents as a decimal with two places, "-12.30". */
export const amount = (cents: number): string => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
/** A rate in basis points as percent, "19.00". */
const percent = (bp: number): string => amount(bp);
/** UNCL 5305: S standard rate (7 % and 19 % are both "S" in EN 16931), E exempt for 0 %. */
const category = (bp: number): string => (bp === 0 ? 'E' : 'S');

function el(name: string, value: string | null | undefined, attrs: Record<string, string> = {}): string {
  if (value === null || value === undefined) return '';
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}="${escape(v)}"`).join('');
  return `<${name}${a}>${escape(value)}</${name}>`;
}

function party(p: Party, role: 'seller' | 'buyer'): string {
  const taxSchemes = [
    p.vatId === undefined ? '' : `<cac:PartyTaxScheme>${el('cbc:CompanyID', p.vatId)}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>`,
    // BT-32, the seller's tax registration (German Steuernummer), uses a scheme other than VAT.
    role === 'seller' && p.taxNumber !== undefined ? `<cac:PartyTaxScheme>${el('cbc:CompanyID', p.taxNumber)}<cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>` : '',
  ].join('');
  return [
    '<cac:Party>',
    p.email === undefined ? '' : el('cbc:EndpointID', p.email, { schemeID: 'EM' }),
    '<cac:PostalAddress>',
    el('cbc:StreetName', p.street),
    el('cbc:CityName', p.city),
    el('cbc:PostalZone', p.postalCode),
    `<cac:Country>${el('cbc:IdentificationCode', p.country)}</cac:Country>`,
    '</cac:PostalAddress>',
    taxSchemes,
    `<cac:PartyLegalEntity>${el('cbc:RegistrationName', p.name)}</cac:PartyLegalEntity>`,
    p.contactName === undefined && p.email === undefined && p.phone === undefined ? '' : `<cac:Contact>${el('cbc:Name', p.contactName)}${el('cbc:Telephone', p.phone)}${el('cbc:ElectronicMail', p.email)}</cac:Contact>`,
    '</cac:Party>',
  ].join('');
}

/**
 * The invoice as an EN 16931 UBL 2.1 Invoice. Gross box-office prices become net amounts here: the
 * per-rate net and tax are the invoice's own (tax from the gross sum per rate), line nets are the lines'
 * shares of their rate's net (adding up exactly), and the item net price is the line net divided by the
 * quantity, to four decimals (so quantity × price may differ from the line net by rounding; the line
 * net is authoritative).
 */
export function toUbl(view: InvoiceView, context: { original: { numberLabel: string; issueDate: string } | null; orderNumber: number | null }): string {
  if (view.numberLabel === null || view.issueDate === null || view.issuer === null) throw new Error('only issued invoices have an e-invoice');
  if (view.recipient === null) {
    throw new AppError(422, 'E_INVOICE_NEEDS_RECIPIENT', 'EN 16931 requires the buyer\'s name and address; this small-amount invoice has none.');
  }
  const nets = lineNets(view.lines, view.rates);
  const lineTotal = view.rates.reduce((s, r) => s + r.netCents, 0);
  const notes: string[] = [];
  if (view.note !== null) notes.push(view.note);
  if (view.cancelReason !== null && view.kind !== 'cancellation') notes.push(`Storniert: ${view.cancelReason}`);
  if (view.settlement !== null) {
    const s = view.settlement;
    notes.push(
      s.kind === 'outlet'
        ? `Abrechnung: Verkäufe ${amount(s.salesCents)} EUR, Erstattungen ${amount(s.refundsCents)} EUR, Provision ${amount(s.feeGrossCents)} EUR, an das Treuhandkonto abzuführen ${amount(s.balanceCents)} EUR.`
        : `Abrechnung ${s.eventName ?? ''}: Ticketumsatz ${amount(s.netSalesCents)} EUR, Plattformgebühr ${amount(s.feeGrossCents)} EUR, Auszahlung ${amount(s.balanceCents)} EUR.`,
    );
  }
  if (view.smallAmount) notes.push('Kleinbetragsrechnung (§ 33 UStDV)');
  const period = view.periodFrom !== null && view.periodTo !== null;
  const buyerReference = context.orderNumber !== null ? `Auftrag ${context.orderNumber}` : view.numberLabel;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">',
    el('cbc:CustomizationID', qualifiesForXRechnung(view.issuer, view.recipient) ? XRECHNUNG_CUSTOMIZATION_ID : EN16931_CUSTOMIZATION_ID),
    el('cbc:ID', view.numberLabel),
    el('cbc:IssueDate', view.issueDate),
    el('cbc:InvoiceTypeCode', TYPE_CODE[view.kind]),
    ...notes.map((n) => el('cbc:Note', n)),
    el('cbc:DocumentCurrencyCode', 'EUR'),
    el('cbc:BuyerReference', buyerReference),
    period ? `<cac:InvoicePeriod>${el('cbc:StartDate', view.periodFrom)}${el('cbc:EndDate', view.periodTo)}</cac:InvoicePeriod>` : '',
    context.original === null ? '' : `<cac:BillingReference><cac:InvoiceDocumentReference>${el('cbc:ID', context.original.numberLabel)}${el('cbc:IssueDate', context.original.issueDate)}</cac:InvoiceDocumentReference></cac:BillingReference>`,
    `<cac:AccountingSupplierParty>${party(view.issuer, 'seller')}</cac:AccountingSupplierParty>`,
    `<cac:AccountingCustomerParty>${party(view.recipient, 'buyer')}</cac:AccountingCustomerParty>`,
    !period && view.serviceDate !== null ? `<cac:Delivery>${el('cbc:ActualDeliveryDate', view.serviceDate)}</cac:Delivery>` : '',
    view.issuer.iban === undefined
      ? ''
      : `<cac:PaymentMeans>${el('cbc:PaymentMeansCode', '58')}${el('cbc:PaymentID', view.numberLabel)}<cac:PayeeFinancialAccount>${el('cbc:ID', view.issuer.iban)}</cac:PayeeFinancialAccount></cac:PaymentMeans>`,
    '<cac:TaxTotal>',
    el('cbc:TaxAmount', amount(view.taxCents), { currencyID: 'EUR' }),
    ...view.rates.map(
      (r) =>
        `<cac:TaxSubtotal>${el('cbc:TaxableAmount', amount(r.netCents), { currencyID: 'EUR' })}${el('cbc:TaxAmount', amount(r.taxCents), { currencyID: 'EUR' })}<cac:TaxCategory>${el('cbc:ID', category(r.vatRateBp))}${el('cbc:Percent', percent(r.vatRateBp))}${r.vatRateBp === 0 ? el('cbc:TaxExemptionReason', 'Steuerfrei') : ''}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>`,
    ),
    '</cac:TaxTotal>',
    '<cac:LegalMonetaryTotal>',
    el('cbc:LineExtensionAmount', amount(lineTotal), { currencyID: 'EUR' }),
    el('cbc:TaxExclusiveAmount', amount(view.netCents), { currencyID: 'EUR' }),
    el('cbc:TaxInclusiveAmount', amount(view.grossCents), { currencyID: 'EUR' }),
    el('cbc:PayableAmount', amount(view.grossCents), { currencyID: 'EUR' }),
    '</cac:LegalMonetaryTotal>',
    ...view.lines.map((l) => {
      const net = nets.get(l.position) ?? 0;
      const price = (Math.abs(net) / Math.abs(l.quantity) / 100).toFixed(4);
      return [
        '<cac:InvoiceLine>',
        el('cbc:ID', String(l.position)),
        el('cbc:InvoicedQuantity', String(l.quantity), { unitCode: 'C62' }),
        el('cbc:LineExtensionAmount', amount(net), { currencyID: 'EUR' }),
        `<cac:Item>${el('cbc:Name', l.description)}<cac:ClassifiedTaxCategory>${el('cbc:ID', category(l.vatRateBp))}${el('cbc:Percent', percent(l.vatRateBp))}<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>`,
        `<cac:Price>${el('cbc:PriceAmount', price, { currencyID: 'EUR' })}</cac:Price>`,
        '</cac:InvoiceLine>',
      ].join('');
    }),
    '</Invoice>',
  ].join('\n');
  return `${xml}\n`;
}
