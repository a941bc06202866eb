import https from 'node:https';
import type { Knex } from 'knex';
import type { ApiClient } from './identity.js';
import type { KeyPair } from './pki.js';
import type { SalesFixture } from './sales-fixtures.js';
import type { TestServer } from './test-server.js';

export const BUSINESS_CUSTOMER = { company: 'Muster AG', contactName: 'Erika Muster', street: 'Industriestr. 5', postalCode: '80331', city: 'München', country: 'DE', vatId: 'DE987654321' };

export const profileOf = (legalName: string, extra: Record<string, unknown> = {}) => ({
  legalName,
  street: 'Hafenstraße 1',
  postalCode: '20457',
  city: 'Hamburg',
  country: 'DE',
  taxNumber: '22/815/08150',
  vatId: 'DE123456789',
  email: 'buchhaltung@example.org',
  contactName: 'Erika Buchhalter',
  phone: '+49 40 123456',
  iban: 'DE02120300000000202051',
  bankName: 'Testbank',
  ...extra,
});

/**
 * An unpaid business order on invoice with `tickets` tickets per (category, price), inserted as the owner
 * (the sales API has its own tests).
 */
export async function insertBusinessOrder(
  server: TestServer,
  input: { tenantId: string; userId: string; workstationId: string; fx: SalesFixture; tickets: Array<{ categoryId: string; priceCents: number; vatRateBp: number; quantity: number }> },
): Promise<{ id: string; orderNumber: number; totalCents: number }> {
  return server.tdb.asAdmin(async (db: Knex) => {
    const now = new Date();
    const total = input.tickets.reduce((s, t) => s + t.priceCents * t.quantity, 0);
    const [order] = await db('orders')
      .insert({
        tenant_id: input.tenantId,
        promoter_id: input.fx.promoterId,
        event_id: input.fx.eventId,
        channel: 'business',
        status: 'unpaid',
        customer_name: BUSINESS_CUSTOMER.company,
        business_customer: JSON.stringify(BUSINESS_CUSTOMER),
        total_cents: total,
        created_at: now,
        created_by: input.userId,
        workstation_id: input.workstationId,
      })
      .returning(['id', 'order_number']);
    for (const t of input.tickets) {
      await db('tickets').insert(
        Array.from({ length: t.quantity }, () => ({ tenant_id: input.tenantId, promoter_id: input.fx.promoterId, order_id: order.id, event_id: input.fx.eventId, category_id: t.categoryId, price_cents: t.priceCents, vat_rate_bp: t.vatRateBp, created_at: now })),
      );
    }
    return { id: order.id as string, orderNumber: Number(order.order_number), totalCents: total };
  });
}

/** The raw bytes of a GET (the shared helper decodes bodies as UTF-8). */
export function getBytes(server: TestServer, client: ApiClient, ws: Pick<KeyPair, 'certPem' | 'keyPem'>, path: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', servername: 'localhost', port: server.port, path, method: 'GET', ca: server.pki.ca.certPem, cert: ws.certPem, key: ws.keyPem, agent: false, headers: { authorization: `Bearer ${client.token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export interface CamtEntry {
  amount: string;
  currency?: string;
  credit?: boolean;
  reference: string;
  payer?: string;
  payerIban?: string;
  bankRef?: string;
}

/** A camt.053.001.02 statement as German banks send it (one Stmt, balances, entries with remittance text). */
export function camt053(input: { msgId: string; statementId: string; iban: string; entries: CamtEntry[]; version?: '02' | '08' }): string {
  const v = input.version ?? '02';
  const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  const status = v === '02' ? '<Sts>BOOK</Sts>' : '<Sts><Cd>BOOK</Cd></Sts>';
  const debtor = (name: string) => (v === '02' ? `<Dbtr><Nm>${esc(name)}</Nm></Dbtr>` : `<Dbtr><Pty><Nm>${esc(name)}</Nm></Pty></Dbtr>`);
  const entries = input.entries
    .map(
      (e, i) => `
      <Ntry>
        <Amt Ccy="${e.currency ?? 'EUR'}">${e.amount}</Amt>
        <CdtDbtInd>${e.credit === false ? 'DBIT' : 'CRDT'}</CdtDbtInd>
        ${status}
        <BookgDt><Dt>2026-12-03</Dt></BookgDt>
        <ValDt><Dt>2026-12-03</Dt></ValDt>
        <AcctSvcrRef>${e.bankRef ?? `${input.statementId}-${i + 1}`}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <RltdPties>${debtor(e.payer ?? 'Muster AG')}<DbtrAcct><Id><IBAN>${e.payerIban ?? 'DE89370400440532013000'}</IBAN></Id></DbtrAcct></RltdPties>
            <RmtInf><Ustrd>${esc(e.reference)}</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${v}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>${input.msgId}</MsgId>
      <CreDtTm>2026-12-04T06:00:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>${input.statementId}</Id>
      <ElctrncSeqNb>1</ElctrncSeqNb>
      <CreDtTm>2026-12-04T06:00:00</CreDtTm>
      <Acct><Id><IBAN>${input.iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal>
        <Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">0.00</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Dt><Dt>2026-12-03</Dt></Dt>
      </Bal>${entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>
`;
}
