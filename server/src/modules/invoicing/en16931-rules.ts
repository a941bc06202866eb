import { XMLParser } from 'fast-xml-parser';

/**
 * The EN 16931-1 business rules this project checks on its own UBL output (the official XSD and
 * Schematron files are not available from npm or Debian here). Each entry names the rule as in the
 * standard. Amounts are compared in cents, so the checks are exact.
 */
export const CHECKED_RULES = [
  'BR-01', 'BR-02', 'BR-03', 'BR-04', 'BR-05', 'BR-06', 'BR-07', 'BR-08', 'BR-09', 'BR-10', 'BR-11', 'BR-12', 'BR-13', 'BR-14', 'BR-15', 'BR-16',
  'BR-21', 'BR-22', 'BR-23', 'BR-24', 'BR-25', 'BR-26', 'BR-27', 'BR-CO-10', 'BR-CO-13', 'BR-CO-14', 'BR-CO-15', 'BR-CO-16', 'BR-CO-17', 'BR-CO-18',
  'BR-S-02', 'BR-S-05', 'BR-S-08', 'BR-S-09', 'BR-E-10', 'BR-55', 'BR-DEC-01/02/09/10/11/12/14/15/17/19/20/23/24',
] as const;

export interface RuleViolation {
  rule: string;
  message: string;
}

type Node = Record<string, unknown>;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, isArray: (name) => ['InvoiceLine', 'TaxSubtotal', 'PartyTaxScheme', 'Note', 'BillingReference'].includes(name) });

const text = (v: unknown): string | undefined => {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && '#text' in (v as Node)) return String((v as Node)['#text']);
  return undefined;
};
const node = (v: unknown): Node => (v !== null && typeof v === 'object' ? (v as Node) : {});
const list = (v: unknown): Node[] => (Array.isArray(v) ? v.map(node) : v === undefined ? [] : [node(v)]);

/** "12.30" → 1230; undefined when not a decimal with at most two places (BR-DEC-*). */
function cents(v: unknown): number | undefined {
  const t = text(v);
  if (t === undefined || !/^-?\d+(\.\d{1,2})?$/.test(t)) return undefined;
  const negative = t.startsWith('-');
  const [whole, frac = ''] = t.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return negative ? -value : value;
}

/** Checks one UBL Invoice; an empty list means every rule above holds. */
export function checkEn16931(xml: string): RuleViolation[] {
  const out: RuleViolation[] = [];
  const fail = (rule: string, message: string) => out.push({ rule, message });
  const doc = node(parser.parse(xml) as unknown);
  const inv = node(doc['Invoice']);
  if (Object.keys(inv).length === 0) return [{ rule: 'SYNTAX', message: 'not a UBL Invoice document' }];

  if (!text(inv['CustomizationID'])) fail('BR-01', 'specification identifier (BT-24) missing');
  if (!text(inv['ID'])) fail('BR-02', 'invoice number (BT-1) missing');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text(inv['IssueDate']) ?? '')) fail('BR-03', 'issue date (BT-2) missing or not a date');
  if (!['380', '381', '384', '389'].includes(text(inv['InvoiceTypeCode']) ?? '')) fail('BR-04', 'invoice type code (BT-3) missing or unsupported');
  if (!/^[A-Z]{3}$/.test(text(inv['DocumentCurrencyCode']) ?? '')) fail('BR-05', 'currency code (BT-5) missing');

  const seller = node(node(inv['AccountingSupplierParty'])['Party']);
  const buyer = node(node(inv['AccountingCustomerParty'])['Party']);
  if (!text(node(seller['PartyLegalEntity'])['RegistrationName'])) fail('BR-06', 'seller name (BT-27) missing');
  if (!text(node(buyer['PartyLegalEntity'])['RegistrationName'])) fail('BR-07', 'buyer name (BT-44) missing');
  if (Object.keys(node(seller['PostalAddress'])).length === 0) fail('BR-08', 'seller postal address (BG-5) missing');
  if (!text(node(node(seller['PostalAddress'])['Country'])['IdentificationCode'])) fail('BR-09', 'seller country code (BT-40) missing');
  if (Object.keys(node(buyer['PostalAddress'])).length === 0) fail('BR-10', 'buyer postal address (BG-8) missing');
  if (!text(node(node(buyer['PostalAddress'])['Country'])['IdentificationCode'])) fail('BR-11', 'buyer country code (BT-55) missing');

  const totals = node(inv['LegalMonetaryTotal']);
  const lineExt = cents(totals['LineExtensionAmount']);
  const taxExcl = cents(totals['TaxExclusiveAmount']);
  const taxIncl = cents(totals['TaxInclusiveAmount']);
  const payable = cents(totals['PayableAmount']);
  const prepaid = cents(totals['PrepaidAmount']) ?? 0;
  const rounding = cents(totals['PayableRoundingAmount']) ?? 0;
  if (lineExt === undefined) fail('BR-12', 'sum of line net amounts (BT-106) missing or not two decimals');
  if (taxExcl === undefined) fail('BR-13', 'total without VAT (BT-109) missing or not two decimals');
  if (taxIncl === undefined) fail('BR-14', 'total with VAT (BT-112) missing or not two decimals');
  if (payable === undefined) fail('BR-15', 'amount due (BT-115) missing or not two decimals');

  const lines = list(inv['InvoiceLine']);
  if (lines.length === 0) fail('BR-16', 'no invoice line (BG-25)');
  const netPerCategory = new Map<string, number>();
  let lineSum = 0;
  for (const [i, line] of lines.entries()) {
    const at = `line ${i + 1}`;
    if (!text(line['ID'])) fail('BR-21', `${at}: line identifier (BT-126) missing`);
    const qty = node(line['InvoicedQuantity']);
    if (!text(line['InvoicedQuantity'])) fail('BR-22', `${at}: quantity (BT-129) missing`);
    if (!qty['@_unitCode']) fail('BR-23', `${at}: unit of measure (BT-130) missing`);
    const net = cents(line['LineExtensionAmount']);
    if (net === undefined) fail('BR-24', `${at}: line net amount (BT-131) missing or not two decimals`);
    const item = node(line['Item']);
    if (!text(item['Name'])) fail('BR-25', `${at}: item name (BT-153) missing`);
    const price = text(node(line['Price'])['PriceAmount']);
    if (price === undefined) fail('BR-26', `${at}: item net price (BT-146) missing`);
    else if (Number(price) < 0) fail('BR-27', `${at}: item net price is negative`);
    const cat = node(item['ClassifiedTaxCategory']);
    const key = `${text(cat['ID']) ?? '?'}/${text(cat['Percent']) ?? ''}`;
    if (text(cat['ID']) === 'S' && !(Number(text(cat['Percent'])) > 0)) fail('BR-S-05', `${at}: standard-rated line without a rate above zero`);
    netPerCategory.set(key, (netPerCategory.get(key) ?? 0) + (net ?? 0));
    lineSum += net ?? 0;
  }
  if (lineExt !== undefined && lineExt !== lineSum) fail('BR-CO-10', `sum of line net amounts ${lineSum} ≠ BT-106 ${lineExt}`);
  if (lineExt !== undefined && taxExcl !== undefined && taxExcl !== lineExt) fail('BR-CO-13', `BT-109 ${taxExcl} ≠ BT-106 ${lineExt} (no allowances or charges)`);

  const taxTotal = node(inv['TaxTotal']);
  const taxAmount = cents(taxTotal['TaxAmount']);
  const subtotals = list(taxTotal['TaxSubtotal']);
  if (subtotals.length === 0) fail('BR-CO-18', 'no VAT breakdown (BG-23)');
  let subtotalTax = 0;
  for (const st of subtotals) {
    const cat = node(st['TaxCategory']);
    const id = text(cat['ID']) ?? '?';
    const rate = text(cat['Percent']) ?? '';
    const taxable = cents(st['TaxableAmount']);
    const tax = cents(st['TaxAmount']);
    if (taxable === undefined || tax === undefined) {
      fail('BR-DEC-19/20', `VAT breakdown ${id} ${rate}: amounts missing or not two decimals`);
      continue;
    }
    subtotalTax += tax;
    const sumLines = netPerCategory.get(`${id}/${rate}`) ?? 0;
    if (id === 'S') {
      if (taxable !== sumLines) fail('BR-S-08', `taxable amount ${taxable} at ${rate} % ≠ sum of its line nets ${sumLines}`);
      // Stricter than the standard's tolerance: the tax may differ from taxable × rate by one cent at most.
      const expected = Math.round((Math.abs(taxable) * Number(rate)) / 100);
      if (Math.abs(Math.abs(tax) - expected) > 1) fail('BR-CO-17', `tax ${tax} at ${rate} % is not taxable ${taxable} × rate (${expected})`);
      if (!(Number(rate) > 0)) fail('BR-S-09', 'standard rate must be above zero');
    }
    if (id === 'E') {
      if (tax !== 0) fail('BR-E-09', 'exempt category with tax');
      if (!text(cat['TaxExemptionReason']) && !text(cat['TaxExemptionReasonCode'])) fail('BR-E-10', 'exempt category without a reason');
    }
  }
  if (taxAmount === undefined) fail('BR-CO-14', 'total VAT (BT-110) missing or not two decimals');
  else if (taxAmount !== subtotalTax) fail('BR-CO-14', `total VAT ${taxAmount} ≠ sum of the breakdown ${subtotalTax}`);
  if (taxExcl !== undefined && taxIncl !== undefined && taxAmount !== undefined && taxIncl !== taxExcl + taxAmount) fail('BR-CO-15', `BT-112 ${taxIncl} ≠ BT-109 + BT-110`);
  if (taxIncl !== undefined && payable !== undefined && payable !== taxIncl - prepaid + rounding) fail('BR-CO-16', `BT-115 ${payable} ≠ BT-112 − BT-113 + BT-114`);

  if (subtotals.some((st) => text(node(st['TaxCategory'])['ID']) === 'S')) {
    const schemes = list(seller['PartyTaxScheme']);
    if (!schemes.some((s) => text(s['CompanyID']))) fail('BR-S-02', 'standard-rated invoice without the seller\'s VAT id (BT-31) or tax registration (BT-32)');
  }
  for (const ref of list(inv['BillingReference'])) {
    if (!text(node(ref['InvoiceDocumentReference'])['ID'])) fail('BR-55', 'preceding invoice reference (BT-25) without an identifier');
  }
  if ((text(inv['CustomizationID']) ?? '').includes('xrechnung')) checkXRechnung(inv, seller, buyer, fail);
  return out;
}

/** The XRechnung (German CIUS) rules checked when the document declares XRechnung. */
export const CHECKED_XRECHNUNG_RULES = ['BR-DE-1', 'BR-DE-2', 'BR-DE-3', 'BR-DE-4', 'BR-DE-5', 'BR-DE-6', 'BR-DE-7', 'BR-DE-8', 'BR-DE-9', 'BR-DE-15', 'BR-DE-16', 'BR-DE-23-a', 'BT-34/BT-49 (XRechnung 3.0)'] as const;

function checkXRechnung(inv: Node, seller: Node, buyer: Node, fail: (rule: string, message: string) => void): void {
  const means = list(inv['PaymentMeans']);
  if (means.length === 0) fail('BR-DE-1', 'payment instructions (BG-16) missing');
  for (const m of means) {
    if (text(m['PaymentMeansCode']) === '58' && !text(node(m['PayeeFinancialAccount'])['ID'])) fail('BR-DE-23-a', 'SEPA transfer without the payee IBAN (BT-84)');
  }
  const contact = node(seller['Contact']);
  if (Object.keys(contact).length === 0) fail('BR-DE-2', 'seller contact (BG-6) missing');
  if (!text(contact['Name'])) fail('BR-DE-5', 'seller contact point (BT-41) missing');
  if (!text(contact['Telephone'])) fail('BR-DE-6', 'seller contact telephone (BT-42) missing');
  if (!text(contact['ElectronicMail'])) fail('BR-DE-7', 'seller contact e-mail (BT-43) missing');
  const sellerAddress = node(seller['PostalAddress']);
  if (!text(sellerAddress['CityName'])) fail('BR-DE-3', 'seller city (BT-37) missing');
  if (!text(sellerAddress['PostalZone'])) fail('BR-DE-4', 'seller post code (BT-38) missing');
  const buyerAddress = node(buyer['PostalAddress']);
  if (!text(buyerAddress['CityName'])) fail('BR-DE-8', 'buyer city (BT-52) missing');
  if (!text(buyerAddress['PostalZone'])) fail('BR-DE-9', 'buyer post code (BT-53) missing');
  if (!text(inv['BuyerReference'])) fail('BR-DE-15', 'buyer reference (BT-10) missing');
  if (!list(seller['PartyTaxScheme']).some((s) => text(s['CompanyID']))) fail('BR-DE-16', 'seller VAT id or tax number missing');
  if (!text(seller['EndpointID'])) fail('BT-34', 'seller electronic address missing (mandatory in XRechnung 3.0)');
  if (!text(buyer['EndpointID'])) fail('BT-49', 'buyer electronic address missing (mandatory in XRechnung 3.0)');
}
