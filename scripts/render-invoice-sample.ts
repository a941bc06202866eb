/**
 * Renders the documentation image of an invoice (sample data, fixed issue time) with the server's
 * invoice document and PDF renderer: docs/invoice-sample.png.
 *
 *   npx tsx scripts/render-invoice-sample.ts
 *
 * Needs pdftoppm (Debian: poppler-utils).
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { computeTotals } from '../server/src/modules/invoicing/totals.js';
import { invoiceDocument } from '../server/src/pdf/invoice-document.js';
import { createPdfRenderer } from '../server/src/pdf/renderer.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const docs = path.join(root, 'docs');
const AT = new Date('2026-12-04T15:30:00.000Z');

const lines = [
  { position: 1, description: 'Eintrittskarte Sommerkonzert – Kat 1', quantity: 4, unitGrossCents: 5500, lineGrossCents: 22_000, vatRateBp: 700 },
  { position: 2, description: 'Eintrittskarte Sommerkonzert – Kat 1 (Ermäßigt)', quantity: 2, unitGrossCents: 2500, lineGrossCents: 5000, vatRateBp: 700 },
  { position: 3, description: 'Versandgebühr', quantity: 1, unitGrossCents: 490, lineGrossCents: 490, vatRateBp: 1900 },
];
const totals = computeTotals(lines);

const pdf = await createPdfRenderer().render(
  invoiceDocument({
    kind: 'business_order',
    numberLabel: 'RE-2026-000123',
    issueDate: '2026-12-04',
    serviceDate: '2027-01-09',
    periodFrom: null,
    periodTo: null,
    issuer: { name: 'Vorverkauf Hafenkante GmbH', street: 'Hafenstraße 1', postalCode: '20457', city: 'Hamburg', country: 'DE', taxNumber: '22/815/08150', vatId: 'DE123456789', email: 'buchhaltung@example.org', iban: 'DE02120300000000202051', bankName: 'Testbank' },
    recipient: { name: 'Muster AG', contactName: 'Erika Muster', street: 'Industriestr. 5', postalCode: '80331', city: 'München', country: 'DE', vatId: 'DE987654321' },
    lines,
    rates: totals.rates,
    netCents: totals.netCents,
    taxCents: totals.taxCents,
    grossCents: totals.grossCents,
    smallAmount: totals.smallAmount,
    note: 'Zahlbar innerhalb von 14 Tagen ohne Abzug. Die Tickets werden nach Zahlungseingang gedruckt.',
    orderNumber: 4711,
    settlement: null,
    cancels: null,
    issuedAt: AT,
  }),
);

const dir = await mkdtemp(path.join(tmpdir(), 'invoice-doc-'));
try {
  await mkdir(docs, { recursive: true });
  const file = path.join(dir, 'invoice-sample.pdf');
  await writeFile(file, pdf);
  await run('pdftoppm', ['-r', '90', '-png', '-singlefile', file, path.join(dir, 'invoice-sample')]);
  await copyFile(path.join(dir, 'invoice-sample.png'), path.join(docs, 'invoice-sample.png'));
  process.stdout.write('wrote docs/invoice-sample.png\n');
} finally {
  await rm(dir, { recursive: true, force: true });
}
