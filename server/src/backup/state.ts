import type { Knex } from 'knex';
import { GENESIS_HASH } from '../modules/audit/chain.js';

/** What a backup must bring back: recorded in the manifest at backup time, compared after a restore. */
export interface DatabaseState {
  /** Name of the last applied migration. */
  schemaVersion: string;
  migrations: number;
  /** Rows per table of the public schema (knex's own bookkeeping included). */
  tables: Record<string, number>;
  /** Head of every tenant's audit chain; a tenant without audit rows has seq 0 and the genesis hash. */
  auditChains: Array<{ tenantId: string; tenantCode: string; rows: number; lastSeq: number; headHash: string }>;
  /** Next invoice number per tenant, series and year; null where the schema has no invoice counters. */
  invoiceCounters: Array<{ tenantId: string; series: string; year: number; nextNumber: number }> | null;
}

type Raw = Knex | Knex.Transaction;

async function rows<T>(db: Raw, sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<T[]> {
  const result = await db.raw<{ rows: T[] }>(sql, bindings);
  return result.rows;
}

/**
 * Reads the state through a connection that sees every tenant (superuser or BYPASSRLS; the owner is
 * bound by FORCE ROW LEVEL SECURITY). Run it inside the transaction whose snapshot the dump uses, so
 * manifest and dump describe the same moment.
 */
export async function readDatabaseState(db: Raw): Promise<DatabaseState> {
  const migrations = await rows<{ name: string }>(db, 'SELECT name FROM knex_migrations ORDER BY id');
  const tableNames = await rows<{ tablename: string }>(db, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const tables: Record<string, number> = {};
  for (const { tablename } of tableNames) {
    const [count] = await rows<{ n: string }>(db, `SELECT count(*)::text AS n FROM "${tablename.replaceAll('"', '""')}"`);
    tables[tablename] = Number(count?.n ?? 0);
  }
  const chains = await rows<{ tenant_id: string; code: string; rows: string; last_seq: string | null; head_hash: string | null }>(
    db,
    `SELECT t.id AS tenant_id, t.code,
            (SELECT count(*) FROM audit_log a WHERE a.tenant_id = t.id)::text AS rows,
            h.seq::text AS last_seq, h.hash AS head_hash
       FROM tenants t
       LEFT JOIN LATERAL (SELECT seq, hash FROM audit_log a WHERE a.tenant_id = t.id ORDER BY seq DESC LIMIT 1) h ON true
      ORDER BY t.code`,
  );
  const [hasCounters] = await rows<{ present: boolean }>(db, `SELECT to_regclass('public.invoice_counters') IS NOT NULL AS present`);
  const invoiceCounters = hasCounters?.present
    ? (
        await rows<{ tenant_id: string; series: string; year: number; next_number: number }>(
          db,
          'SELECT tenant_id, series, year, next_number FROM invoice_counters ORDER BY tenant_id, series, year',
        )
      ).map((r) => ({ tenantId: r.tenant_id, series: r.series, year: Number(r.year), nextNumber: Number(r.next_number) }))
    : null;
  return {
    schemaVersion: migrations[migrations.length - 1]?.name ?? '',
    migrations: migrations.length,
    tables,
    auditChains: chains.map((c) => ({
      tenantId: c.tenant_id,
      tenantCode: c.code,
      rows: Number(c.rows),
      lastSeq: c.last_seq === null ? 0 : Number(c.last_seq),
      headHash: c.head_hash ?? GENESIS_HASH,
    })),
    invoiceCounters,
  };
}

/** Differences between two states, one readable line each; empty when they match. */
export function compareStates(expected: DatabaseState, actual: DatabaseState): string[] {
  const problems: string[] = [];
  if (expected.schemaVersion !== actual.schemaVersion) problems.push(`schema version: expected ${expected.schemaVersion}, found ${actual.schemaVersion}`);
  for (const table of new Set([...Object.keys(expected.tables), ...Object.keys(actual.tables)])) {
    const e = expected.tables[table];
    const a = actual.tables[table];
    if (e !== a) problems.push(`table ${table}: expected ${e ?? 'no table'} rows, found ${a ?? 'no table'}`);
  }
  const actualChains = new Map(actual.auditChains.map((c) => [c.tenantId, c]));
  for (const e of expected.auditChains) {
    const a = actualChains.get(e.tenantId);
    if (a === undefined) problems.push(`audit chain of ${e.tenantCode}: tenant missing`);
    else if (a.lastSeq !== e.lastSeq || a.headHash !== e.headHash || a.rows !== e.rows) {
      problems.push(`audit chain of ${e.tenantCode}: expected head seq ${e.lastSeq} ${e.headHash.slice(0, 12)}…, found seq ${a.lastSeq} ${a.headHash.slice(0, 12)}…`);
    }
    actualChains.delete(e.tenantId);
  }
  for (const extra of actualChains.values()) problems.push(`audit chain of ${extra.tenantCode}: not in the manifest`);
  const key = (c: { tenantId: string; series: string; year: number }) => `${c.tenantId}/${c.series}/${c.year}`;
  const actualCounters = new Map((actual.invoiceCounters ?? []).map((c) => [key(c), c.nextNumber]));
  for (const e of expected.invoiceCounters ?? []) {
    const a = actualCounters.get(key(e));
    if (a !== e.nextNumber) problems.push(`invoice counter ${e.series} ${e.year} of tenant ${e.tenantId}: expected next number ${e.nextNumber}, found ${a ?? 'none'}`);
    actualCounters.delete(key(e));
  }
  for (const [k, n] of actualCounters) problems.push(`invoice counter ${k}: next number ${n} not in the manifest`);
  return problems;
}

/**
 * Numbering continues where it stopped: each counter's next number is one past the highest number
 * issued in its tenant, series and year, so the next invoice leaves no gap and repeats no number.
 */
export async function checkInvoiceContinuity(db: Raw): Promise<string[]> {
  const [hasCounters] = await rows<{ present: boolean }>(db, `SELECT to_regclass('public.invoice_counters') IS NOT NULL AND to_regclass('public.invoices') IS NOT NULL AS present`);
  if (hasCounters?.present !== true) return [];
  const found = await rows<{ tenant_id: string; series: string; year: number; next_number: number | null; max_number: number | null; issued: string }>(
    db,
    `SELECT coalesce(c.tenant_id, i.tenant_id) AS tenant_id, coalesce(c.series, i.series) AS series, coalesce(c.year, i.year) AS year,
            c.next_number, i.max_number, coalesce(i.issued, 0)::text AS issued
       FROM invoice_counters c
       FULL JOIN (SELECT tenant_id, series, year, max(number) AS max_number, count(*) AS issued
                    FROM invoices WHERE number IS NOT NULL GROUP BY tenant_id, series, year) i
         ON i.tenant_id = c.tenant_id AND i.series = c.series AND i.year = c.year`,
  );
  const problems: string[] = [];
  for (const r of found) {
    const max = r.max_number === null ? 0 : Number(r.max_number);
    const next = r.next_number === null ? 1 : Number(r.next_number);
    if (next !== max + 1) problems.push(`invoice numbers ${r.series} ${r.year} of tenant ${r.tenant_id}: highest issued ${max}, counter says next ${next}`);
    if (Number(r.issued) !== max) problems.push(`invoice numbers ${r.series} ${r.year} of tenant ${r.tenant_id}: ${r.issued} issued but highest is ${max} (gap)`);
  }
  return problems;
}
