import { describe, expect, it } from 'vitest';
import { decimalToCents, parseCamt053, parseCsvStatement } from '../../../../server/src/modules/invoicing/statement.js';
import { camt053 } from '../../../support/invoicing-fixtures.js';

describe('bank statements', () => {
  it('reads camt.053.001.02 and .08 alike', () => {
    for (const version of ['02', '08'] as const) {
      const s = parseCamt053(camt053({ msgId: 'M', statementId: 'S-1', iban: 'DE02120300000000202051', version, entries: [{ amount: '1234.5', reference: 'RE-2026-000001 & Auftrag 7', payer: 'Müller & Söhne' }] }));
      expect(s).toEqual({
        accountIban: 'DE02120300000000202051',
        statementRef: 'S-1/1',
        entries: [{ amountCents: 123_450, currency: 'EUR', credit: true, booked: true, bookingDate: '2026-12-03', payerName: 'Müller & Söhne', payerIban: 'DE89370400440532013000', reference: 'RE-2026-000001 & Auftrag 7', bankRef: 'S-1-1' }],
      });
    }
  });

  it('reads a namespace prefix on the root', () => {
    const xml = camt053({ msgId: 'M', statementId: 'S', iban: 'DE02120300000000202051', entries: [] })
      .replace('<Document xmlns=', '<c:Document xmlns:c=')
      .replace('</Document>', '</c:Document>')
      .replace(/<(\/?)(BkToCstmrStmt|GrpHdr|MsgId|CreDtTm|Stmt|Id|ElctrncSeqNb|Acct|IBAN|Ccy|Bal|Tp|CdOrPrtry|Cd|Amt|CdtDbtInd|Dt)\b/g, '<$1c:$2');
    expect(parseCamt053(xml).statementRef).toBe('S/1');
  });

  it('refuses what is not a camt.053, or lacks what matching relies on', () => {
    const ok = camt053({ msgId: 'M', statementId: 'S', iban: 'DE02120300000000202051', entries: [{ amount: '1.00', reference: 'x' }] });
    for (const [bad, message] of [
      [ok.replace('camt.053.001.02', 'camt.052.001.08'), /Not a CAMT.053/],
      [ok.replace('<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>', '<CdtDbtInd>XXXX</CdtDbtInd>\n        <Sts>'), /CdtDbtInd/],
      [ok.replace('<Amt Ccy="EUR">1.00</Amt>', '<Amt Ccy="EUR">1.005</Amt>'), /at most two places/],
      [ok.replace(/<Stmt>[\s\S]*<\/Stmt>/, ''), /Exactly one Stmt/],
      ['<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Document/>', /Document type declarations/],
      ['not xml at all <', /Not a CAMT.053|well-formed/],
    ] as const) {
      expect(() => parseCamt053(bad)).toThrow(message);
    }
  });

  it('reads the CSV format with quoting, decimal commas and debits', () => {
    const s = parseCsvStatement('\uFEFFaccount;date;amount;currency;payer;payer_iban;reference\nDE1;01.12.2026;1.234,56;EUR;"A ""B"" C";;"x;y"\nDE1;2026-12-02;-5;EUR;Bank;;Gebühr\n', 'f'.repeat(64));
    expect(s.statementRef).toBe(`csv:${'f'.repeat(64)}`);
    expect(s.entries).toEqual([
      { amountCents: 123_456, currency: 'EUR', credit: true, booked: true, bookingDate: '2026-12-01', payerName: 'A "B" C', payerIban: null, reference: 'x;y', bankRef: null },
      { amountCents: 500, currency: 'EUR', credit: false, booked: true, bookingDate: '2026-12-02', payerName: 'Bank', payerIban: null, reference: 'Gebühr', bankRef: null },
    ]);
    expect(() => parseCsvStatement('account;date;amount;currency;payer;payer_iban;reference\nDE1;2026-13-45;1;EUR;a;;b', 'f')).toThrow(/date/);
    expect(() => parseCsvStatement('account;date;amount;currency;payer;payer_iban;reference\nDE1;2026-12-01;1;EUR;a;;b\nDE2;2026-12-01;1;EUR;a;;b', 'f')).toThrow(/same account/);
    expect(() => decimalToCents('1e3', 'x')).toThrow();
  });
});
