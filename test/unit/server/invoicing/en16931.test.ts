import { describe, expect, it } from 'vitest';
import type { InvoiceView } from '../../../../src/shared/api/invoicing.js';
import { checkEn16931 } from '../../../../server/src/modules/invoicing/en16931-rules.js';
import { EN16931_CUSTOMIZATION_ID, toUbl, XRECHNUNG_CUSTOMIZATION_ID } from '../../../../server/src/modules/invoicing/xrechnung.js';

const party = { name: 'Vorverkauf A GmbH', street: 'Hafenstraße 1', postalCode: '20457', city: 'Hamburg', country: 'DE', taxNumber: '22/815/08150', vatId: 'DE123456789', email: 'a@example.org', iban: 'DE02120300000000202051' };
const view: InvoiceView = {
  id: '00000000-0000-4000-8000-000000000001',
  issuerTenantId: '00000000-0000-4000-8000-000000000002',
  kind: 'business_order',
  status: 'issued',
  series: 'invoice',
  number: 7,
  numberLabel: 'RE-2026-000007',
  issuer: party,
  recipient: { name: 'Muster AG', street: 'Industriestr. 5', postalCode: '80331', city: 'München', country: 'DE' },
  recipientTenantId: null,
  orderId: null,
  eventId: null,
  periodFrom: null,
  periodTo: null,
  serviceDate: '2027-01-10',
  issueDate: '2026-12-04',
  note: null,
  lines: [
    { position: 1, description: 'Eintrittskarte', quantity: 3, unitGrossCents: 10, lineGrossCents: 30, vatRateBp: 1900 },
    { position: 2, description: 'Eintrittskarte <Loge> & Sekt', quantity: 2, unitGrossCents: 3500, lineGrossCents: 7000, vatRateBp: 700 },
  ],
  rates: [
    { vatRateBp: 700, netCents: 6542, taxCents: 458, grossCents: 7000 },
    { vatRateBp: 1900, netCents: 25, taxCents: 5, grossCents: 30 },
  ],
  netCents: 6567,
  taxCents: 463,
  grossCents: 7030,
  smallAmount: true,
  settlement: null,
  cancelsInvoiceId: null,
  cancelledByInvoiceId: null,
  cancelReason: null,
  cancelledAt: null,
  pdfSha256: 'a'.repeat(64),
  paidCents: 0,
  openCents: 7030,
  paymentState: 'open',
  paidAt: null,
  createdAt: '2026-12-04T10:00:00.000Z',
  issuedAt: '2026-12-04T10:00:00.000Z',
};

describe('EN 16931 UBL export and the rules checked on it', () => {
  it('produces an invoice that passes every checked rule, with escaped text', () => {
    const xml = toUbl(view, { original: null, orderNumber: 42 });
    expect(checkEn16931(xml)).toEqual([]);
    expect(xml).toContain('<cbc:Name>Eintrittskarte &lt;Loge&gt; &amp; Sekt</cbc:Name>');
    expect(xml).toContain('<cbc:BuyerReference>Auftrag 42</cbc:BuyerReference>');
    expect(xml).toContain('<cbc:ActualDeliveryDate>2027-01-10</cbc:ActualDeliveryDate>');
  });

  it('catches broken totals, missing parties and negative prices', () => {
    const xml = toUbl(view, { original: null, orderNumber: null });
    const rules = (doc: string) => checkEn16931(doc).map((v) => v.rule);
    expect(rules(xml.replace('<cbc:TaxAmount currencyID="EUR">4.63</cbc:TaxAmount>', '<cbc:TaxAmount currencyID="EUR">4.64</cbc:TaxAmount>'))).toContain('BR-CO-14');
    expect(rules(xml.replace('<cbc:PayableAmount currencyID="EUR">70.30</cbc:PayableAmount>', '<cbc:PayableAmount currencyID="EUR">70.31</cbc:PayableAmount>'))).toContain('BR-CO-16');
    expect(rules(xml.replace('<cbc:TaxableAmount currencyID="EUR">0.25</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">0.05</cbc:TaxAmount>', '<cbc:TaxableAmount currencyID="EUR">0.25</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">0.09</cbc:TaxAmount>'))).toEqual(expect.arrayContaining(['BR-CO-17', 'BR-CO-14']));
    expect(rules(xml.replace(/<cac:AccountingCustomerParty>[\s\S]*<\/cac:AccountingCustomerParty>/, ''))).toEqual(expect.arrayContaining(['BR-07', 'BR-10', 'BR-11']));
    expect(rules(xml.replace('<cbc:PriceAmount currencyID="EUR">0.0833</cbc:PriceAmount>', '<cbc:PriceAmount currencyID="EUR">-0.0833</cbc:PriceAmount>'))).toContain('BR-27');
    expect(rules(xml.replace('<cbc:LineExtensionAmount currencyID="EUR">0.25</cbc:LineExtensionAmount>', '<cbc:LineExtensionAmount currencyID="EUR">0.26</cbc:LineExtensionAmount>'))).toEqual(expect.arrayContaining(['BR-CO-10', 'BR-S-08']));
    expect(rules(xml.replace(/<cac:PartyTaxScheme>[\s\S]*?<\/cac:PartyTaxScheme>/g, ''))).toContain('BR-S-02');
    expect(rules(xml.replace('<cbc:IssueDate>2026-12-04</cbc:IssueDate>', ''))).toContain('BR-03');
    expect(rules('<Other/>')).toEqual(['SYNTAX']);
  });

  it('declares XRechnung 3.0 only with seller contact, IBAN and both electronic addresses, and checks its rules', () => {
    expect(toUbl(view, { original: null, orderNumber: 1 })).toContain(`<cbc:CustomizationID>${EN16931_CUSTOMIZATION_ID}</cbc:CustomizationID>`);
    const full: InvoiceView = { ...view, issuer: { ...party, contactName: 'Erika Buchhalter', phone: '+49 40 123456' }, recipient: { ...view.recipient!, email: 'einkauf@muster.example' } };
    const xml = toUbl(full, { original: null, orderNumber: 1 });
    expect(xml).toContain(`<cbc:CustomizationID>${XRECHNUNG_CUSTOMIZATION_ID}</cbc:CustomizationID>`);
    expect(checkEn16931(xml)).toEqual([]);
    const rules = (doc: string) => checkEn16931(doc).map((v) => v.rule);
    expect(rules(xml.replace('<cbc:Telephone>+49 40 123456</cbc:Telephone>', ''))).toEqual(['BR-DE-6']);
    expect(rules(xml.replace(/<cac:PaymentMeans>[\s\S]*<\/cac:PaymentMeans>/, ''))).toEqual(['BR-DE-1']);
    expect(rules(xml.replace(/<cbc:BuyerReference>.*<\/cbc:BuyerReference>/, ''))).toEqual(['BR-DE-15']);
    expect(rules(xml.replace('<cbc:EndpointID schemeID="EM">einkauf@muster.example</cbc:EndpointID>', ''))).toEqual(['BT-49']);
  });

  it('writes a cancellation as a corrected invoice (384) with negated amounts and the preceding invoice', () => {
    const negate = (c: number) => -c;
    const storno: InvoiceView = {
      ...view,
      kind: 'cancellation',
      series: 'cancellation',
      numberLabel: 'ST-2026-000001',
      lines: view.lines.map((l) => ({ ...l, quantity: -l.quantity, lineGrossCents: -l.lineGrossCents })),
      rates: view.rates.map((r) => ({ vatRateBp: r.vatRateBp, netCents: negate(r.netCents), taxCents: negate(r.taxCents), grossCents: negate(r.grossCents) })),
      netCents: -view.netCents,
      taxCents: -view.taxCents,
      grossCents: -view.grossCents,
    };
    const xml = toUbl(storno, { original: { numberLabel: 'RE-2026-000007', issueDate: '2026-12-04' }, orderNumber: null });
    expect(checkEn16931(xml)).toEqual([]);
    expect(xml).toContain('<cbc:InvoiceTypeCode>384</cbc:InvoiceTypeCode>');
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="C62">-3</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:PriceAmount currencyID="EUR">0.0833</cbc:PriceAmount>');
    // The refund goes to the same account: payment instructions stay.
    expect(xml).toContain('<cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>');
  });
});
