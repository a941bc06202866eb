import { XMLParser } from 'fast-xml-parser';
import { InvoicingErrorCode } from '../../../../src/shared/api/invoicing.js';
import { AppError } from '../../errors.js';

/** One entry of a bank statement as booked on the escrow account. */
export interface StatementEntry {
  amountCents: number;
  currency: string;
  /** Credit (incoming) or debit. */
  credit: boolean;
  /** Booked (BOOK) as opposed to pending or information only. */
  booked: boolean;
  bookingDate: string;
  payerName: string;
  payerIban: string | null;
  reference: string;
  bankRef: string | null;
}

export interface ParsedStatement {
  accountIban: string;
  statementRef: string;
  entries: StatementEntry[];
}

const invalid = (message: string) => new AppError(422, InvoicingErrorCode.statementInvalid, message);

const CAMT053_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(0[2-9]|1[0-3])$/;

type Node = Record<string, unknown>;
const node = (v: unknown): Node => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : {});
const list = (v: unknown): Node[] => (Array.isArray(v) ? v.map(node) : v === undefined ? [] : [node(v)]);
const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim();
  if (v !== null && typeof v === 'object' && '#text' in (v as Node)) return String((v as Node)['#text']).trim();
  return undefined;
};

/** Unstructured remittance lines of a transaction. */
function remittance(tx: Node): string[] {
  const u = node(tx['RmtInf'])['Ustrd'];
  return (Array.isArray(u) ? u : u === undefined ? [] : [u]).map((x) => text(x) ?? '');
}

/** "1234.5" → 123450; refuses more than two decimals, exponents and signs (CAMT amounts are unsigned). */
export function decimalToCents(value: string, where: string): number {
  if (!/^\d{1,15}(\.\d{1,2})?$/.test(value)) throw invalid(`${where}: amount "${value}" is not a decimal with at most two places.`);
  const [whole, frac = ''] = value.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  // Only the five predefined entities remain to be decoded: documents with a DOCTYPE are refused up front.
  processEntities: true,
  isArray: (name) => ['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'Bal'].includes(name),
});

// Namespace declarations are dropped when prefixes are removed, so the root's namespace is read apart.
const rawParser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, processEntities: false, stopNodes: ['*.*'] });

/** The namespace of the root Document element, whether declared as default or with a prefix. */
function rootNamespace(xml: string): string {
  const raw = node(rawParser.parse(xml) as unknown);
  const key = Object.keys(raw).find((k) => k === 'Document' || k.endsWith(':Document'));
  if (key === undefined) return '';
  const prefix = key.includes(':') ? key.slice(0, key.indexOf(':')) : null;
  return text(node(raw[key])[prefix === null ? '@_xmlns' : `@_xmlns:${prefix}`]) ?? '';
}

/**
 * Reads a CAMT.053 bank-to-customer statement (versions 001.02 to 001.13). The server checks the elements
 * it relies on (namespace, group header, one statement with id and account, per entry amount with
 * currency, credit/debit indicator, status and booking date); the full XSD check runs in the tests with
 * xmllint against the ISO schema. Remittance texts of all transaction details are joined.
 */
export function parseCamt053(xml: string): ParsedStatement {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid('Document type declarations are not accepted in statement files.');
  let doc: Node;
  try {
    doc = node(parser.parse(xml, true) as unknown);
  } catch (error) {
    throw invalid(`The file is not well-formed XML: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  const root = node(doc['Document']);
  const ns = rootNamespace(xml);
  if (!CAMT053_NAMESPACE.test(ns)) throw invalid(`Not a CAMT.053 statement (namespace "${ns || 'none'}").`);
  const body = node(root['BkToCstmrStmt']);
  if (!text(node(body['GrpHdr'])['MsgId'])) throw invalid('GrpHdr/MsgId is missing.');
  const statements = list(body['Stmt']);
  if (statements.length !== 1) throw invalid(`Exactly one Stmt per file is supported (found ${statements.length}).`);
  const stmt = statements[0]!;
  const statementId = text(stmt['Id']);
  if (!statementId) throw invalid('Stmt/Id is missing.');
  const acctId = node(node(stmt['Acct'])['Id']);
  const accountIban = text(acctId['IBAN']) ?? text(node(acctId['Othr'])['Id']);
  if (!accountIban) throw invalid('Stmt/Acct/Id is missing.');
  const sequence = text(stmt['ElctrncSeqNb']);
  const entries = list(stmt['Ntry']).map((ntry, i): StatementEntry => {
    const where = `Ntry ${i + 1}`;
    const amt = ntry['Amt'];
    const value = text(amt);
    const currency = text(node(amt)['@_Ccy']) ?? '';
    if (value === undefined || !/^[A-Z]{3}$/.test(currency)) throw invalid(`${where}: Amt with Ccy is missing.`);
    const indicator = text(ntry['CdtDbtInd']);
    if (indicator !== 'CRDT' && indicator !== 'DBIT') throw invalid(`${where}: CdtDbtInd must be CRDT or DBIT.`);
    const status = text(ntry['Sts']) ?? text(node(ntry['Sts'])['Cd']);
    if (!status) throw invalid(`${where}: Sts is missing.`);
    const bookg = node(ntry['BookgDt']);
    const bookingDate = (text(bookg['Dt']) ?? text(bookg['DtTm'])?.slice(0, 10) ?? text(node(ntry['ValDt'])['Dt']))?.slice(0, 10);
    if (bookingDate === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(bookingDate)) throw invalid(`${where}: BookgDt is missing.`);
    const txs = list(ntry['NtryDtls']).flatMap((d) => list(d['TxDtls']));
    const reference = [...txs.flatMap(remittance), text(ntry['AddtlNtryInf']) ?? ''].filter((s) => s !== '').join(' ');
    const parties = node(txs[0]?.['RltdPties']);
    const debtor = node(parties['Dbtr']);
    // camt.053.001.02 names the debtor directly; from .08 on it sits in Pty.
    const payerName = text(debtor['Nm']) ?? text(node(debtor['Pty'])['Nm']) ?? '';
    const debtorAcct = node(node(parties['DbtrAcct'])['Id']);
    return {
      amountCents: decimalToCents(value, where),
      currency,
      credit: indicator === 'CRDT',
      booked: status === 'BOOK',
      bookingDate,
      payerName: payerName.slice(0, 200),
      payerIban: text(debtorAcct['IBAN']) ?? null,
      reference: reference.slice(0, 1000),
      bankRef: text(ntry['AcctSvcrRef']) ?? text(ntry['NtryRef']) ?? null,
    };
  });
  return { accountIban, statementRef: sequence === undefined ? statementId : `${statementId}/${sequence}`, entries };
}

/** Splits one CSV line with ';' separators and "…" quoting ("" inside quotes is a quote). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') {
      fields.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) throw invalid('Unterminated quote in the CSV file.');
  fields.push(current.trim());
  return fields.map((f) => f.trim());
}

export const CSV_HEADER = ['account', 'date', 'amount', 'currency', 'payer', 'payer_iban', 'reference'] as const;

/**
 * The simple CSV statement (documented in the README): UTF-8, ';'-separated, a header line with exactly
 * the columns of CSV_HEADER; one line per entry; amount with a decimal comma or point, negative for
 * debits; date YYYY-MM-DD or DD.MM.YYYY; every line names the same escrow account. The statement is
 * identified by its file hash.
 */
export function parseCsvStatement(content: string, fileSha256: string): ParsedStatement {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift();
  if (header === undefined || csvFields(header).map((h) => h.toLowerCase()).join(';') !== CSV_HEADER.join(';')) {
    throw invalid(`The CSV header must be: ${CSV_HEADER.join(';')}`);
  }
  let account: string | undefined;
  const entries = lines.map((line, i): StatementEntry => {
    const where = `CSV line ${i + 2}`;
    const f = csvFields(line);
    if (f.length !== CSV_HEADER.length) throw invalid(`${where}: expected ${CSV_HEADER.length} fields, found ${f.length}.`);
    const [acct, date, rawAmount, currency, payer, iban, reference] = f as [string, string, string, string, string, string, string];
    if (account !== undefined && acct !== account) throw invalid(`${where}: all lines must name the same account.`);
    account = acct;
    const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : /^(\d{2})\.(\d{2})\.(\d{4})$/.test(date) ? `${date.slice(6)}-${date.slice(3, 5)}-${date.slice(0, 2)}` : undefined;
    if (day === undefined || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw invalid(`${where}: date "${date}" is not YYYY-MM-DD or DD.MM.YYYY.`);
    const negative = rawAmount.startsWith('-');
    const normalized = rawAmount.replace(/^[-+]/, '').replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.');
    if (!/^[A-Z]{3}$/.test(currency)) throw invalid(`${where}: currency "${currency}" is not an ISO code.`);
    return {
      amountCents: decimalToCents(normalized, where),
      currency,
      credit: !negative,
      booked: true,
      bookingDate: day,
      payerName: payer.slice(0, 200),
      payerIban: iban === '' ? null : iban,
      reference: reference.slice(0, 1000),
      bankRef: null,
    };
  });
  if (account === undefined || account === '') throw invalid('The CSV file has no entries.');
  return { accountIban: account, statementRef: `csv:${fileSha256}`, entries };
}
