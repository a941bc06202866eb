import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../server/migrations/index.js';
import { callsPerRow } from '../../../server/migrations/lib/policy-sql.js';
import { MIGRATION_CONFIG } from '../../../server/src/db/migrate.js';
import { testBackends } from '../../support/backends.js';
import { createEmptyDatabase } from '../../support/test-db.js';

/** The parts of the schema a migration may change; compared before up and after down. */
async function schemaSnapshot(db: Knex): Promise<string> {
  const q = async (sql: string) => JSON.stringify((await db.raw<{ rows: unknown[] }>(sql)).rows);
  return [
    await q(`SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name NOT LIKE 'knex_%' ORDER BY table_name, column_name`),
    await q(`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_%' ORDER BY 1, 2`),
    await q(`SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`),
    await q(`SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1`),
    await q(`SELECT conrelid::regclass::text AS rel, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
             WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE 'knex_%' ORDER BY 1, 2`),
    await q(`SELECT table_name, privilege_type FROM information_schema.role_table_grants
             WHERE grantee = 'boxoffice_app' AND table_schema = 'public' ORDER BY 1, 2`),
    await q(`SELECT nspacl::text AS acl FROM pg_namespace WHERE nspname = 'public'`),
    await q(`SELECT tablename, policyname, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' ORDER BY 1, 2`),
    await q(`SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
             WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND relname NOT LIKE 'knex_%' ORDER BY 1`),
  ].join('\n');
}

const tenantId = '00000000-0000-4000-8000-000000000001';
const promoterId = '00000000-0000-4000-8000-000000000002';
const venueId = '00000000-0000-4000-8000-000000000003';
const eventId = '00000000-0000-4000-8000-000000000004';
const categoryId = '00000000-0000-4000-8000-000000000005';
const seatId = '00000000-0000-4000-8000-000000000006';
const orderId = '00000000-0000-4000-8000-000000000007';
const blankBatchId = '00000000-0000-4000-8000-000000000008';
const printJobId = '00000000-0000-4000-8000-000000000009';

const eventRow = () => ({
  id: eventId,
  tenant_id: promoterId,
  venue_id: venueId,
  name: 'Konzert',
  starts_at: new Date('2027-03-01T19:00:00Z'),
  sales_start: new Date('2026-12-01T00:00:00Z'),
  sales_end: new Date('2027-03-01T19:00:00Z'),
});
const outletId = async (db: Knex) => (await db('tenants').where({ code: 'outlet-1' }).first<{ id: string }>('id')).id;
const userAndWs = async (db: Knex) => ({
  user: (await db('users').where({ login: 'anna' }).first<{ id: string }>('id')).id,
  ws: (await db('workstations').where({ cert_serial: 'aa02' }).first<{ id: string }>('id')).id,
});
const orderRow = (_db: Knex, ids: { user: string; ws: string }) => ({
  id: orderId,
  tenant_id: tenantId,
  promoter_id: promoterId,
  event_id: eventId,
  channel: 'counter',
  status: 'paid',
  total_cents: 4500,
  paid_at: new Date(),
  created_at: new Date(),
  created_by: ids.user,
  workstation_id: ids.ws,
});

/** Expects a statement to fail; runs it under a savepoint so the surrounding transaction stays usable. */
async function expectRejects(db: Knex, statement: (t: Knex) => Promise<unknown>, pattern: RegExp): Promise<void> {
  await expect(db.transaction((t) => statement(t))).rejects.toThrow(pattern);
}

/** What each migration must establish once it is up. Every migration needs an entry (checked below). */
const specs: Record<string, (db: Knex) => Promise<void>> = {
  '20261204120000_create_app_role': async (db) => {
    const { rows } = await db.raw<{ rows: Array<{ rolsuper: boolean; rolbypassrls: boolean; rolcanlogin: boolean }> }>(
      `SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = 'boxoffice_app'`,
    );
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false, rolcanlogin: false }]);
  },
  '20261204120100_create_tenants': async (db) => {
    await db('tenants').insert({ id: tenantId, kind: 'operator', code: 'op', name: 'Operator' });
    await expectRejects(db, (t) => t('tenants').insert({ kind: 'operator', code: 'op2', name: 'Second operator' }), /tenants_single_operator/);
    await expectRejects(db, (t) => t('tenants').insert({ kind: 'outlet', code: 'orphan', name: 'No parent' }), /check/i);
    await expectRejects(db, (t) => t('tenants').insert({ kind: 'kiosk', code: 'k1', name: 'Kiosk', parent_id: tenantId }), /check/i);
    await expectRejects(db, (t) => t('tenants').insert({ kind: 'outlet', code: 'Bad Code', name: 'X', parent_id: tenantId }), /check/i);
    await db('tenants').insert({ kind: 'outlet', code: 'outlet-1', name: 'Outlet', parent_id: tenantId });
  },
  '20261204120200_create_users': async (db) => {
    const base = { tenant_id: tenantId, display_name: 'A', password_hash: 'x' };
    await db('users').insert({ ...base, login: 'anna' });
    await expectRejects(db, (t) => t('users').insert({ ...base, login: 'anna' }), /users_login_unique/);
    await expectRejects(db, (t) => t('users').insert({ ...base, login: 'Anna Upper' }), /check/i);
    const [row] = await db('users').where({ login: 'anna' }).select('must_change_password');
    expect(row).toEqual({ must_change_password: true });
  },
  '20261204120300_create_workstations': async (db) => {
    const base = { tenant_id: tenantId, name: 'kasse-1', cert_not_after: new Date('2030-01-01T00:00:00Z') };
    await db('workstations').insert({ ...base, cert_serial: 'aa01', cert_fingerprint: 'a'.repeat(64) });
    await expectRejects(db, (t) => t('workstations').insert({ ...base, cert_serial: 'aa02', cert_fingerprint: 'b'.repeat(64) }), /workstations_live_name/);
    await db('workstations').where({ cert_serial: 'aa01' }).update({ revoked_at: new Date(), revoked_reason: 'stolen' });
    await db('workstations').insert({ ...base, cert_serial: 'aa02', cert_fingerprint: 'b'.repeat(64) });
    await expectRejects(db, (t) => t('workstations').where({ cert_serial: 'aa02' }).update({ revoked_at: new Date() }), /check/i);
    await expectRejects(db, (t) => t('workstations').insert({ ...base, name: 'x', cert_serial: 'aa03', cert_fingerprint: 'NOTHEX' }), /check/i);
  },
  '20261204120400_create_sessions': async (db) => {
    const user = await db('users').where({ login: 'anna' }).first<{ id: string }>('id');
    const ws = await db('workstations').where({ cert_serial: 'aa02' }).first<{ id: string }>('id');
    const now = new Date('2026-12-04T10:00:00Z');
    const base = {
      tenant_id: tenantId,
      user_id: user?.id,
      workstation_id: ws?.id,
      cert_fingerprint: 'b'.repeat(64),
      created_at: now,
      expires_at: new Date(now.getTime() + 8 * 3600_000),
      last_seen_at: now,
    };
    await db('sessions').insert({ ...base, token_hash: '1'.repeat(64) });
    await expectRejects(db, (t) => t('sessions').insert({ ...base, token_hash: '2'.repeat(64) }), /sessions_one_active_per_user/);
    await db('sessions').where({ token_hash: '1'.repeat(64) }).update({ ended_at: now, end_reason: 'logout' });
    await db('sessions').insert({ ...base, token_hash: '2'.repeat(64) });
    // The session's user must belong to the session's tenant.
    await db('sessions').where({ token_hash: '2'.repeat(64) }).update({ ended_at: now, end_reason: 'logout' });
    const other = await db('tenants').where({ code: 'outlet-1' }).first<{ id: string }>('id');
    await expectRejects(db, (t) => t('sessions').insert({ ...base, tenant_id: other?.id, token_hash: '3'.repeat(64) }), /foreign key/i);
  },
  '20261204120500_create_audit_log': async (db) => {
    const row = { tenant_id: tenantId, seq: 1, at: new Date(), action: 'test.action', entity: 'test', prev_hash: '0'.repeat(64), hash: 'f'.repeat(64) };
    await db('audit_log').insert(row);
    await expectRejects(db, (t) => t('audit_log').insert(row), /duplicate key/);
    const grants = await db.raw<{ rows: Array<{ privilege_type: string }> }>(
      `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'boxoffice_app' AND table_name = 'audit_log' ORDER BY 1`,
    );
    expect(grants.rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT']);
  },
  '20261204120600_protect_audit_log': async (db) => {
    expect(await db('audit_log').count<Array<{ count: number }>>('* as count')).toEqual([{ count: 1 }]);
    await expectRejects(db, (t) => t('audit_log').update({ action: 'changed' }), /append-only \(UPDATE refused\)/);
    await expectRejects(db, (t) => t('audit_log').delete(), /append-only \(DELETE refused\)/);
    await expectRejects(db, (t) => t.raw('TRUNCATE audit_log'), /append-only \(TRUNCATE refused\)/);
  },
  '20261204130000_enable_row_level_security': async (db) => {
    const { rows } = await db.raw<{ rows: Array<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }> }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
        WHERE relname IN ('tenants', 'users', 'workstations', 'sessions', 'audit_log') ORDER BY relname`,
    );
    expect(rows).toEqual(
      ['audit_log', 'sessions', 'tenants', 'users', 'workstations'].map((relname) => ({ relname, relrowsecurity: true, relforcerowsecurity: true })),
    );
    // As the application role, without a tenant nothing is visible; with one, only that tenant.
    await db.raw('SET LOCAL ROLE boxoffice_app');
    expect(await db('users').select('login')).toEqual([]);
    expect(await db('tenants').select('code')).toEqual([{ code: 'op' }]);
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [tenantId]);
    expect(await db('users').select('login')).toEqual([{ login: 'anna' }]);
  },
  '20261204130100_create_user_permissions': async (db) => {
    const user = await db('users').where({ login: 'anna' }).first<{ id: string }>('id');
    const row = { tenant_id: tenantId, user_id: user.id, permission: 'sales.sell', granted_at: new Date() };
    await db('user_permissions').insert(row);
    await expectRejects(db, (t) => t('user_permissions').insert(row), /duplicate key/);
    await expectRejects(db, (t) => t('user_permissions').insert({ ...row, permission: 'DROP TABLE' }), /check/i);
    const other = await db('tenants').where({ code: 'outlet-1' }).first<{ id: string }>('id');
    await expectRejects(db, (t) => t('user_permissions').insert({ ...row, permission: 'sales.cancel', tenant_id: other.id }), /foreign key/i);
    const { rows } = await db.raw(`SELECT relforcerowsecurity FROM pg_class WHERE relname = 'user_permissions'`);
    expect(rows).toEqual([{ relforcerowsecurity: true }]);
  },
  '20261204130200_create_password_history': async (db) => {
    const user = await db('users').where({ login: 'anna' }).first<{ id: string }>('id');
    await db('password_history').insert({ tenant_id: tenantId, user_id: user.id, password_hash: 'scrypt$x', created_at: new Date() });
    await expectRejects(db, (t) => t('password_history').insert({ tenant_id: tenantId, user_id: tenantId, password_hash: 'x', created_at: new Date() }), /foreign key/i);
  },
  '20261204130300_create_login_attempts': async (db) => {
    await db.raw('SET LOCAL ROLE boxoffice_app');
    await db('login_attempts').insert({ at: new Date(), login: 'anna', source_ip: '192.0.2.1', outcome: 'failure' });
    await expectRejects(db, (t) => t('login_attempts').insert({ at: new Date(), login: 'anna', source_ip: '192.0.2.1', outcome: 'maybe' }), /check/i);
    expect(await db('login_attempts').count<Array<{ count: number }>>('* as count')).toEqual([{ count: 1 }]);
  },
  '20261204130400_add_user_lockout_reset': async (db) => {
    await db('users').where({ login: 'anna' }).update({ lockout_reset_at: new Date('2026-12-04T00:00:00Z') });
    expect(await db('users').where({ login: 'anna' }).first('lockout_reset_at')).toEqual({ lockout_reset_at: new Date('2026-12-04T00:00:00Z') });
  },
  '20261204140000_create_venues': async (db) => {
    await db('venues').insert({ id: venueId, tenant_id: promoterId, name: 'Stadthalle', city: 'Hamburg' });
    await expectRejects(db, (t) => t('venues').insert({ tenant_id: promoterId, name: ' ' }), /check/i);
  },
  '20261204140100_create_events': async (db) => {
    await db('events').insert(eventRow());
    await expectRejects(db, (t) => t('events').insert({ ...eventRow(), id: undefined, sales_start: new Date('2027-02-01'), sales_end: new Date('2027-01-01') }), /check/i);
    await expectRejects(db, (t) => t('events').insert({ ...eventRow(), id: undefined, status: 'sold_out' }), /check/i);
    // The venue must belong to the same promoter.
    await expectRejects(db, (t) => t('events').insert({ ...eventRow(), id: undefined, tenant_id: tenantId }), /foreign key/i);
  },
  '20261204140200_create_sales_rights': async (db) => {
    const outlet = await outletId(db);
    await db('sales_rights').insert({ tenant_id: promoterId, event_id: eventId, outlet_id: outlet, granted_at: new Date() });
    await db.raw('SET LOCAL ROLE boxoffice_app');
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [outlet]);
    expect((await db.raw('SELECT app_may_sell(?) AS ok', [eventId])).rows).toEqual([{ ok: true }]);
  },
  '20261204140300_restrict_events_to_sellers': async (db) => {
    const outlet = await outletId(db);
    await db('sales_rights').delete();
    await db.raw('SET LOCAL ROLE boxoffice_app');
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [outlet]);
    expect(await db('events').pluck('name')).toEqual([]);
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [promoterId]);
    await db('sales_rights').insert({ tenant_id: promoterId, event_id: eventId, outlet_id: outlet, granted_at: new Date() });
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [outlet]);
    expect(await db('events').pluck('name')).toEqual(['Konzert']);
    expect(await db('venues').pluck('name')).toEqual(['Stadthalle']);
    // Read-only for the outlet.
    expect(await db('events').update({ name: 'Gekapert' })).toBe(0);
  },
  '20261204140400_create_price_categories': async (db) => {
    await db('price_categories').insert({ id: categoryId, tenant_id: promoterId, event_id: eventId, name: 'Kat 1', price_cents: 4500, vat_rate_bp: 700, seated: true, capacity: 2 });
    await expectRejects(db, (t) => t('price_categories').where({ id: categoryId }).update({ sold: 3 }), /check/i);
    await expectRejects(db, (t) => t('price_categories').insert({ tenant_id: promoterId, event_id: eventId, name: 'Neg', price_cents: -1, vat_rate_bp: 700, seated: false, capacity: 1 }), /check/i);
    await db('price_variants').insert({ tenant_id: promoterId, category_id: categoryId, name: 'Ermäßigt', price_cents: 3000 });
  },
  '20261204140500_create_sales_quotas': async (db) => {
    const outlet = await outletId(db);
    await db('sales_quotas').insert({ tenant_id: promoterId, event_id: eventId, outlet_id: outlet, category_id: categoryId, quota: 1 });
    await expectRejects(db, (t) => t('sales_quotas').where({ outlet_id: outlet }).update({ sold: 2 }), /check/i);
    // A quota needs a sales right.
    await expectRejects(db, (t) => t('sales_quotas').insert({ tenant_id: promoterId, event_id: eventId, outlet_id: tenantId, category_id: categoryId, quota: 1 }), /foreign key/i);
  },
  '20261204140600_create_seats': async (db) => {
    const seat = { tenant_id: promoterId, event_id: eventId, category_id: categoryId, block: 'A', row_label: '1', row_index: 1, seat_number: 1 };
    await db('seats').insert({ ...seat, id: seatId });
    await expectRejects(db, (t) => t('seats').insert(seat), /duplicate key/);
    await expectRejects(db, (t) => t('seats').insert({ ...seat, seat_number: 2, status: 'held' }), /check/i);
  },
  '20261204140700_create_till_sessions': async (db) => {
    const user = await db('users').where({ login: 'anna' }).first<{ id: string }>('id');
    const ws = await db('workstations').where({ cert_serial: 'aa02' }).first<{ id: string }>('id');
    const open = { tenant_id: tenantId, workstation_id: ws.id, user_id: user.id, opened_at: new Date(), opening_float_cents: 10000 };
    const [session] = await db('till_sessions').insert(open).returning('id');
    await expectRejects(db, (t) => t('till_sessions').insert(open), /till_sessions_one_open/);
    await db('till_sessions').where({ id: session.id }).update({ closed_at: new Date(), closing_number: 1, counted_cash_cents: 10000, expected_cash_cents: 10000, difference_cents: 0, report: '{}', report_sha256: 'x' });
    await expectRejects(db, (t) => t('till_sessions').where({ id: session.id }).update({ counted_cash_cents: 1 }), /closed till session cannot be changed/);
    await expectRejects(db, (t) => t('till_sessions').where({ id: session.id }).delete(), /closed till session cannot be changed/);
  },
  '20261204140800_create_orders': async (db) => {
    await db('orders').insert(orderRow(db, await userAndWs(db)));
    const base = orderRow(db, await userAndWs(db));
    await expectRejects(db, (t) => t('orders').insert({ ...base, id: undefined, channel: 'business' }), /check/i);
    await expectRejects(db, (t) => t('orders').insert({ ...base, id: undefined, paid_at: null }), /check/i);
  },
  '20261204140900_create_tickets': async (db) => {
    const ticket = { tenant_id: tenantId, promoter_id: promoterId, order_id: orderId, event_id: eventId, category_id: categoryId, seat_id: seatId, price_cents: 4500, vat_rate_bp: 700, created_at: new Date() };
    await db('tickets').insert(ticket);
    await expectRejects(db, (t) => t('tickets').insert(ticket), /tickets_one_valid_per_seat/);
    await db('tickets').where({ seat_id: seatId }).update({ status: 'cancelled', cancelled_at: new Date() });
    await db('tickets').insert(ticket);
  },
  '20261204141000_create_payments': async (db) => {
    const { user } = await userAndWs(db);
    await expectRejects(db, (t) => t('payments').insert({ tenant_id: tenantId, order_id: orderId, method: 'cash', amount_cents: 4500, booked_by: user, created_at: new Date() }), /check/i);
    await db('payments').insert({ tenant_id: tenantId, order_id: orderId, method: 'escrow_transfer', amount_cents: 4500, booked_by: user, created_at: new Date() });
    await expectRejects(db, (t) => t('payments').insert({ tenant_id: tenantId, order_id: orderId, method: 'escrow_transfer', amount_cents: 0, booked_by: user, created_at: new Date() }), /check/i);
  },
  '20261204141200_create_holds': async (db) => {
    const { user } = await userAndWs(db);
    const now = new Date();
    await db('holds').insert({ tenant_id: tenantId, event_id: eventId, created_by: user, created_at: now, expires_at: new Date(now.getTime() + 600_000) });
    await expectRejects(db, (t) => t('holds').insert({ tenant_id: tenantId, event_id: eventId, created_by: user, created_at: now, expires_at: now }), /check/i);
  },
  '20261204141100_create_idempotency_keys': async (db) => {
    const row = { tenant_id: tenantId, scope: 'orders.create', key: 'abcdefghijklmnop', request_hash: 'a'.repeat(64), created_at: new Date() };
    await db('idempotency_keys').insert(row);
    await expectRejects(db, (t) => t('idempotency_keys').insert(row), /duplicate key/);
    await expectRejects(db, (t) => t('idempotency_keys').insert({ ...row, key: 'short' }), /check/i);
  },
  '20261204143000_refuse_payments_in_closed_till': async (db) => {
    const { user, ws } = await userAndWs(db);
    const [till] = await db('till_sessions').insert({ tenant_id: tenantId, workstation_id: ws, user_id: user, opened_at: new Date(), opening_float_cents: 0 }).returning('id');
    const payment = { tenant_id: tenantId, order_id: orderId, method: 'cash', amount_cents: 4500, till_session_id: till.id, booked_by: user, created_at: new Date() };
    await db('payments').insert(payment);
    await db('till_sessions').where({ id: till.id }).update({ closed_at: new Date(), closing_number: 1, counted_cash_cents: 4500, expected_cash_cents: 4500, difference_cents: 0, report: '{}', report_sha256: 'x' });
    await expectRejects(db, (t) => t('payments').insert(payment), /till session .* is closed/);
    await expectRejects(db, (t) => t('payments').insert({ ...payment, amount_cents: -4500 }), /till session .* is closed/);
    // Payments outside a till (escrow transfers) are unaffected.
    await db('payments').insert({ ...payment, method: 'escrow_transfer', till_session_id: null });
  },
  '20261204150000_outlet_directory': async (db) => {
    const outlet = await outletId(db);
    await db('tenants').insert({ kind: 'outlet', code: 'outlet-2', name: 'Outlet 2', parent_id: tenantId });
    await db.raw('SET LOCAL ROLE boxoffice_app');
    // Without a tenant scope still only the operator; a promoter sees the outlets (id, code, name) besides itself.
    expect(await db('tenants').orderBy('code').pluck('code')).toEqual(['op']);
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [promoterId]);
    expect(await db('tenants').orderBy('code').pluck('code')).toEqual(['op', 'outlet-1', 'outlet-2', 'promo']);
    // Reading only: the directory does not let anyone change an outlet.
    expect(await db('tenants').where({ id: outlet }).update({ name: 'Gekapert' })).toBe(0);
    // Other promoters stay hidden from an outlet.
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [outlet]);
    expect(await db('tenants').orderBy('code').pluck('code')).toEqual(['op', 'outlet-1', 'outlet-2']);
  },
  '20261204160000_create_blank_batches': async (db) => {
    const { user } = await userAndWs(db);
    const batch = { tenant_id: tenantId, first_number: 301, last_number: 600, registered_at: new Date(), registered_by: user };
    await db('blank_batches').insert(batch);
    // Whole sheets only (sheet n holds 3n−2..3n), and at most 30 000 blanks per batch.
    await expectRejects(db, (t) => t('blank_batches').insert({ ...batch, first_number: 302 }), /check/i);
    await expectRejects(db, (t) => t('blank_batches').insert({ ...batch, last_number: 601 }), /check/i);
    await expectRejects(db, (t) => t('blank_batches').insert({ ...batch, first_number: 1, last_number: 30_003 }), /check/i);
    await expectRejects(db, (t) => t('blank_batches').insert({ ...batch, first_number: 4, last_number: 3 }), /check/i);
  },
  '20261204160100_create_blanks': async (db) => {
    const { user, ws } = await userAndWs(db);
    await db.raw('INSERT INTO blanks (number, tenant_id, batch_id) SELECT g, ?, ? FROM generate_series(1, 6) g', [tenantId, blankBatchId]);
    await expectRejects(db, (t) => t('blanks').insert({ number: 3, tenant_id: tenantId, batch_id: blankBatchId }), /duplicate key/);
    const change = { changed_at: new Date(), changed_by: user, workstation_id: ws };
    // in_stock → issued → printed | spoiled, or in_stock → voided; nothing else, and never deleted.
    await expectRejects(db, (t) => t('blanks').where({ number: 1 }).update({ state: 'printed', ...change }), /in_stock cannot become printed/);
    await db('blanks').where({ number: 1 }).update({ state: 'issued', ...change });
    await db('blanks').where({ number: 1 }).update({ state: 'printed', ...change });
    await expectRejects(db, (t) => t('blanks').where({ number: 1 }).update({ state: 'issued', ...change }), /printed cannot become issued/);
    await expectRejects(db, (t) => t('blanks').where({ number: 2 }).update({ state: 'voided', ...change }), /check/i);
    await db('blanks').where({ number: 2 }).update({ state: 'voided', reason: 'leftover', ...change });
    await expectRejects(db, (t) => t('blanks').where({ number: 3 }).update({ number: 99 }), /cannot be renumbered/);
    await expectRejects(db, (t) => t('blanks').where({ number: 3 }).delete(), /cannot be deleted/);
  },
  '20261204160200_create_print_trays': async (db) => {
    const { user, ws } = await userAndWs(db);
    const tray = { workstation_id: ws, tenant_id: tenantId, next_blank: 4, updated_at: new Date(), updated_by: user };
    await db('print_trays').insert(tray);
    await expectRejects(db, (t) => t('print_trays').insert(tray), /duplicate key/);
    await expectRejects(db, (t) => t('print_trays').where({ workstation_id: ws }).update({ next_blank: 0 }), /check/i);
    expect(await db('print_trays').where({ workstation_id: ws }).first('reuse_partial_sheets')).toEqual({ reuse_partial_sheets: false });
  },
  '20261204160300_create_print_jobs': async (db) => {
    const { user, ws } = await userAndWs(db);
    const job = { tenant_id: tenantId, order_id: orderId, kind: 'print', workstation_id: ws, created_by: user, created_at: new Date(), first_blank: 4, last_blank: 6 };
    await db('print_jobs').insert({ ...job, voided_first: 2, voided_last: 3 });
    await expectRejects(db, (t) => t('print_jobs').insert({ ...job, voided_first: 2 }), /check/i);
    await expectRejects(db, (t) => t('print_jobs').insert({ ...job, voided_first: 5, voided_last: 6 }), /check/i);
    await expectRejects(db, (t) => t('print_jobs').insert({ ...job, last_blank: 3 }), /check/i);
    await expectRejects(db, (t) => t('print_jobs').insert({ ...job, kind: 'copy' }), /check/i);
  },
  '20261204160400_create_ticket_prints': async (db) => {
    const ticket = { tenant_id: tenantId, promoter_id: promoterId, order_id: orderId, event_id: eventId, category_id: categoryId, price_cents: 4500, vat_rate_bp: 700, created_at: new Date() };
    const [t1] = await db('tickets').insert(ticket).returning('id');
    const [t2] = await db('tickets').insert(ticket).returning('id');
    const print = { tenant_id: tenantId, promoter_id: promoterId, ticket_id: t1.id, print_job_id: printJobId, blank_number: 4, barcode: '1'.repeat(22), issued_at: new Date() };
    const [p1] = await db('ticket_prints').insert(print).returning('id');
    // One live print per ticket; a barcode and a blank are used once, platform-wide.
    await expectRejects(db, (t) => t('ticket_prints').insert({ ...print, blank_number: 5, barcode: '2'.repeat(22) }), /ticket_prints_one_live/);
    await expectRejects(db, (t) => t('ticket_prints').insert({ ...print, ticket_id: t2.id, blank_number: 5 }), /ticket_prints_barcode/);
    await expectRejects(db, (t) => t('ticket_prints').insert({ ...print, ticket_id: t2.id, barcode: '2'.repeat(22) }), /ticket_prints_blank/);
    await expectRejects(db, (t) => t('ticket_prints').insert({ ...print, ticket_id: t2.id, blank_number: 5, barcode: '12345' }), /check/i);
    // Blank 99 is not in the tenant's stock.
    await expectRejects(db, (t) => t('ticket_prints').insert({ ...print, ticket_id: t2.id, blank_number: 99, barcode: '2'.repeat(22) }), /foreign key/);
    await expectRejects(db, (t) => t('ticket_prints').where({ id: p1.id }).update({ status: 'active' }), /check/i);
    await db('ticket_prints').where({ id: p1.id }).update({ status: 'active', confirmed_at: new Date() });
    await expectRejects(db, (t) => t('ticket_prints').where({ id: p1.id }).update({ barcode: '3'.repeat(22) }), /fixed/);
    await db('ticket_prints').where({ id: p1.id }).update({ status: 'void', voided_at: new Date(), void_reason: 'reprinted' });
    await expectRejects(db, (t) => t('ticket_prints').where({ id: p1.id }).update({ status: 'active' }), /void cannot become active/);
    await expectRejects(db, (t) => t('ticket_prints').where({ id: p1.id }).delete(), /cannot be deleted/);
    // The old print is void: the ticket may have a new one; a reprint names its reason.
    await expectRejects(db, (t) => t('ticket_prints').insert({ ...print, blank_number: 5, barcode: '2'.repeat(22), reprint_of: p1.id }), /check/i);
    await expectRejects(db, (t) => t('ticket_prints').insert({ ...print, blank_number: 5, barcode: '2'.repeat(22), reprint_of: p1.id, reprint_reason: 'other' }), /check/i);
    await db('ticket_prints').insert({ ...print, blank_number: 5, barcode: '2'.repeat(22), reprint_of: p1.id, reprint_reason: 'lost' });
  },
  '20261204160500_promoter_directory': async (db) => {
    const outlet = await outletId(db);
    await db.raw('SET LOCAL ROLE boxoffice_app');
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [outlet]);
    expect(await db('tenants').orderBy('code').pluck('code')).toEqual(['op', 'outlet-1', 'promo']);
    // Reading only.
    expect(await db('tenants').where({ id: promoterId }).update({ name: 'Gekapert' })).toBe(0);
    await db.raw(`SELECT set_config('app.tenant_id', '', true)`);
    expect(await db('tenants').orderBy('code').pluck('code')).toEqual(['op']);
  },
  '20261204170000_create_billing_profiles': async (db) => {
    const { user } = await userAndWs(db);
    const profile = { tenant_id: tenantId, legal_name: 'Ticket GmbH', street: 'Hafenstr. 1', postal_code: '20457', city: 'Hamburg', country: 'DE', vat_id: 'DE123456789', updated_at: new Date(), updated_by: user };
    await db('tenant_billing_profiles').insert(profile);
    expect(await db('tenant_billing_profiles').where({ tenant_id: tenantId }).first('invoice_prefix', 'cancellation_prefix', 'number_digits')).toEqual({ invoice_prefix: 'RE', cancellation_prefix: 'ST', number_digits: 6 });
    await expectRejects(db, (t) => t('tenant_billing_profiles').where({ tenant_id: tenantId }).update({ vat_id: '123' }), /check/i);
    await expectRejects(db, (t) => t('tenant_billing_profiles').where({ tenant_id: tenantId }).update({ cancellation_prefix: 'RE' }), /check/i);
    // Every tenant reads the operator's billing data (settlements are addressed to it), nobody else's.
    const outlet = await outletId(db);
    await db('tenant_billing_profiles').insert({ ...profile, tenant_id: promoterId, vat_id: null, tax_number: '22/123/45678' });
    await db.raw('SET LOCAL ROLE boxoffice_app');
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [outlet]);
    expect(await db('tenant_billing_profiles').pluck('tenant_id')).toEqual([tenantId]);
  },
  '20261204170100_create_invoice_counters': async (db) => {
    await db('invoice_counters').insert({ tenant_id: tenantId, series: 'invoice', year: 2026, next_number: 2 });
    await expectRejects(db, (t) => t('invoice_counters').insert({ tenant_id: tenantId, series: 'invoice', year: 2026, next_number: 5 }), /duplicate key/);
    await expectRejects(db, (t) => t('invoice_counters').insert({ tenant_id: tenantId, series: 'storno', year: 2026, next_number: 2 }), /check/i);
    await db('invoice_counters').insert({ tenant_id: tenantId, series: 'cancellation', year: 2026, next_number: 2 });
  },
  '20261204170200_create_invoices': async (db) => {
    const { user } = await userAndWs(db);
    const [inv] = await db('invoices').insert({ tenant_id: tenantId, kind: 'outlet_settlement', status: 'draft', created_at: new Date(), created_by: user }).returning('id');
    const line = { tenant_id: tenantId, invoice_id: inv.id, position: 1, description: 'Provision', quantity: 3, unit_gross_cents: 10, line_gross_cents: 30, vat_rate_bp: 1900 };
    await db('invoice_lines').insert(line);
    await expectRejects(db, (t) => t('invoice_lines').insert({ ...line, position: 2, line_gross_cents: 31 }), /check/i);
    await expectRejects(db, (t) => t('invoice_lines').insert({ ...line, position: 2, vat_rate_bp: 1600 }), /check/i);
    // A draft changes freely; issuing needs the number, the frozen issuer and the PDF with its hash.
    await db('invoices').where({ id: inv.id }).update({ net_cents: 25, tax_cents: 5, gross_cents: 30 });
    await expectRejects(db, (t) => t('invoices').where({ id: inv.id }).update({ gross_cents: 31 }), /check/i);
    await expectRejects(db, (t) => t('invoices').where({ id: inv.id }).update({ status: 'issued', number: 1 }), /check/i);
    const issued = { status: 'issued', series: 'invoice', year: 2026, number: 1, number_label: 'RE-2026-000001', issue_date: '2026-12-04', issuer: '{}', pdf: Buffer.from('%PDF'), pdf_sha256: 'a'.repeat(64), issued_at: new Date() };
    await db('invoices').where({ id: inv.id }).update(issued);
    await expectRejects(db, (t) => t('invoices').insert({ tenant_id: tenantId, kind: 'outlet_settlement', created_at: new Date(), created_by: user, ...issued }), /duplicate key/);
    // Issued: content, lines and the row itself are frozen; payment state and the cancellation mark are not.
    await expectRejects(db, (t) => t('invoices').where({ id: inv.id }).update({ gross_cents: 40, net_cents: 35 }), /issued invoice cannot be changed/);
    await expectRejects(db, (t) => t('invoices').where({ id: inv.id }).update({ pdf: Buffer.from('%PDF-forged') }), /issued invoice cannot be changed/);
    await expectRejects(db, (t) => t('invoices').where({ id: inv.id }).update({ status: 'draft', number: null }), /issued invoice cannot be changed|check/i);
    await expectRejects(db, (t) => t('invoices').where({ id: inv.id }).delete(), /issued invoice cannot be changed/);
    await expectRejects(db, (t) => t('invoice_lines').where({ invoice_id: inv.id }).delete(), /lines of an issued invoice/);
    await expectRejects(db, (t) => t('invoice_lines').insert({ ...line, position: 2 }), /lines of an issued invoice/);
    await db('invoices').where({ id: inv.id }).update({ paid_cents: 30, paid_at: new Date() });
    const [storno] = await db('invoices')
      .insert({ tenant_id: tenantId, kind: 'cancellation', created_at: new Date(), created_by: user, cancels_invoice_id: inv.id, ...issued, series: 'cancellation', number_label: 'ST-2026-000001' })
      .returning('id');
    await expectRejects(db, (t) => t('invoices').where({ id: inv.id }).update({ status: 'cancelled' }), /check/i);
    await db('invoices').where({ id: inv.id }).update({ status: 'cancelled', cancelled_by_invoice_id: storno.id, cancel_reason: 'Falscher Empfänger', cancelled_at: new Date() });
    await expectRejects(db, (t) => t('invoices').where({ id: inv.id }).update({ status: 'issued', cancelled_by_invoice_id: null }), /issued invoice cannot be changed|check/i);
    await expectRejects(db, (t) => t('invoices').where({ id: inv.id }).update({ cancel_reason: 'Anderer Grund' }), /issued invoice cannot be changed/);
  },
  '20261204170300_create_escrow_transactions': async (db) => {
    const { user } = await userAndWs(db);
    const statement = { tenant_id: tenantId, format: 'camt053', account_iban: 'DE02120300000000202051', statement_ref: 'STMT-1', file_sha256: 'b'.repeat(64), entry_count: 2, imported_at: new Date(), imported_by: user };
    const [st] = await db('bank_statements').insert(statement).returning('id');
    await expectRejects(db, (t) => t('bank_statements').insert({ ...statement, statement_ref: 'STMT-2' }), /duplicate key/);
    await expectRejects(db, (t) => t('bank_statements').insert({ ...statement, file_sha256: 'c'.repeat(64) }), /duplicate key/);
    const entry = { tenant_id: tenantId, statement_id: st.id, source: 'camt053', booking_date: '2026-12-04', amount_cents: 4500, currency: 'EUR', reference: 'RE-2026-000001', status: 'unmatched', created_at: new Date(), created_by: user };
    const [tx] = await db('escrow_transactions').insert(entry).returning('id');
    await expectRejects(db, (t) => t('escrow_transactions').insert({ ...entry, currency: 'USD' }), /check/i);
    await db('escrow_transactions').insert({ ...entry, currency: 'USD', status: 'rejected', reject_reason: 'FOREIGN_CURRENCY' });
    await expectRejects(db, (t) => t('escrow_transactions').insert({ ...entry, source: 'manual' }), /check/i);
    await expectRejects(db, (t) => t('escrow_transactions').where({ id: tx.id }).update({ amount_cents: 1 }), /cannot be changed/);
    await expectRejects(db, (t) => t('escrow_transactions').where({ id: tx.id }).delete(), /cannot be changed/);
  },
  '20261204170400_discard_escrow_transactions': async (db) => {
    const { user } = await userAndWs(db);
    const entry = { tenant_id: tenantId, source: 'manual', booking_date: '2026-12-04', amount_cents: 4500, currency: 'EUR', reference: 'Rückläufer', status: 'unmatched', created_at: new Date(), created_by: user };
    const [tx] = await db('escrow_transactions').insert(entry).returning('id');
    await expectRejects(db, (t) => t('escrow_transactions').where({ id: tx.id }).update({ status: 'discarded' }), /check/i);
    await db('escrow_transactions').where({ id: tx.id }).update({ status: 'discarded', discard_reason: 'Rücküberweisung', discarded_at: new Date(), discarded_by: user });
    await expectRejects(db, (t) => t('escrow_transactions').where({ id: tx.id }).update({ status: 'unmatched', discard_reason: null, discarded_at: null, discarded_by: null }), /cannot be changed/);
    const [other] = await db('escrow_transactions').insert(entry).returning('id');
    await expectRejects(db, (t) => t('escrow_transactions').where({ id: other.id }).update({ status: 'rejected', reject_reason: 'NOT_A_CREDIT' }), /cannot be changed/);
  },
  '20261204170500_add_billing_contact': async (db) => {
    const { user } = await userAndWs(db);
    const profile = { tenant_id: tenantId, legal_name: 'Ticket GmbH', street: 'Hafenstr. 1', postal_code: '20457', city: 'Hamburg', country: 'DE', vat_id: 'DE123456789', updated_at: new Date(), updated_by: user };
    await db('tenant_billing_profiles').insert({ ...profile, contact_name: 'Erika Buchhalter', phone: '+49 40 123456' });
    await expectRejects(db, (t) => t('tenant_billing_profiles').where({ tenant_id: tenantId }).update({ phone: 'call me' }), /check/i);
    await expectRejects(db, (t) => t('tenant_billing_profiles').where({ tenant_id: tenantId }).update({ contact_name: ' ' }), /check/i);
  },
  '20261204155000_seats_front_first_index': async (db) => {
    // The front-first walk of a category's free seats reads the index in its order, without sorting.
    await db.raw('SET LOCAL enable_seqscan = off');
    const plan = (await db.raw<{ rows: Array<Record<string, string>> }>(
      `EXPLAIN SELECT id FROM seats WHERE category_id = ? AND status = 'available' ORDER BY row_index, block, seat_number LIMIT 10`,
      [categoryId],
    )).rows.map((r) => Object.values(r).join(' ')).join('\n');
    expect(plan).toMatch(/seats_front_first/);
    expect(plan).not.toMatch(/Sort/);
  },
  '20261204180000_create_entry_lists': async (db) => {
    const [user] = await db('users').insert({ tenant_id: promoterId, display_name: 'P', password_hash: 'x', login: 'paula' }).returning('id');
    const list = { tenant_id: promoterId, event_id: eventId, name: 'Alle', scan_list_key: Buffer.alloc(32, 7), created_at: new Date(), created_by: user.id };
    await db('entry_lists').insert(list);
    await expectRejects(db, (t) => t('entry_lists').insert(list), /unique|duplicate/i);
    await expectRejects(db, (t) => t('entry_lists').insert({ ...list, name: 'Kurz', scan_list_key: Buffer.alloc(16) }), /check/i);
    await expectRejects(db, (t) => t('entry_lists').insert({ ...list, name: 'Rückwärts', valid_from: new Date('2027-01-02'), valid_until: new Date('2027-01-01') }), /check/i);
    await expectRejects(db, (t) => t('entry_lists').insert({ ...list, name: 'Leer', category_ids: [] }), /check/i);
  },
  '20261204180100_create_check_ins': async (db) => {
    const [user] = await db('users').insert({ tenant_id: promoterId, display_name: 'P', password_hash: 'x', login: 'paula' }).returning('id');
    const [ws] = await db('workstations').insert({ tenant_id: promoterId, name: 'tor', cert_serial: 'cc03', cert_fingerprint: 'c'.repeat(64), cert_not_after: new Date('2030-01-01') }).returning('id');
    const [list] = await db('entry_lists').insert({ tenant_id: promoterId, event_id: eventId, name: 'Alle', scan_list_key: Buffer.alloc(32, 7), created_at: new Date(), created_by: user.id }).returning('id');
    const checkIn = { tenant_id: promoterId, entry_list_id: list.id, nonce: 'n'.repeat(20), code: '123', direction: 'in', gate: 'Nord', verdict: 'malformed', scanned_at: new Date(), received_at: new Date(), workstation_id: ws.id, user_id: user.id };
    await db('check_ins').insert(checkIn);
    await expectRejects(db, (t) => t('check_ins').insert(checkIn), /unique|duplicate/i);
    await expectRejects(db, (t) => t('check_ins').insert({ ...checkIn, nonce: 'm'.repeat(20), verdict: 'welcome' }), /check/i);
    await expectRejects(db, (t) => t('check_ins').update({ verdict: 'admitted' }), /append-only/);
    await expectRejects(db, (t) => t('check_ins').delete(), /append-only/);
    const admission = { tenant_id: promoterId, entry_list_id: list.id, ticket_id: seatId, inside: true, first_admitted_at: new Date(), first_gate: 'Nord', first_check_in_id: seatId, last_change_at: new Date(), last_gate: 'Nord' };
    await db('ticket_admissions').insert(admission);
    await expectRejects(db, (t) => t('ticket_admissions').insert(admission), /unique|duplicate/i);
  },
  '20261204190000_policies_evaluated_once': async (db) => {
    const policies = (await db.raw<{ rows: Array<{ tablename: string; policyname: string; qual: string | null; with_check: string | null }> }>(
      'SELECT tablename, policyname, qual, with_check FROM pg_policies WHERE schemaname = current_schema()',
    )).rows;
    expect(policies.length).toBeGreaterThan(20);
    for (const p of policies) expect(callsPerRow(`${p.qual ?? ''} ${p.with_check ?? ''}`), `${p.tablename}.${p.policyname}`).toBe(false);
    const outlet = await outletId(db);
    await db('users').insert({ tenant_id: outlet, display_name: 'O', password_hash: 'x', login: 'otto' });
    await db.raw('SET LOCAL ROLE boxoffice_app');
    // The same rules: the outlet that may sell the event sees it, its category and seat; the promoter its own.
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [outlet]);
    expect([await db('events').pluck('id'), await db('price_categories').pluck('id'), await db('seats').pluck('id')]).toEqual([[eventId], [categoryId], [seatId]]);
    expect(await db('seats').where({ id: seatId }).update({ row_label: '1' })).toBe(1);
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [promoterId]);
    expect(await db('seats').pluck('id')).toEqual([seatId]);
    // The operator sees its children's rows only when it asks for them.
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [tenantId]);
    expect(await db('seats').pluck('id')).toEqual([]);
    expect(await db('users').orderBy('login').pluck('login')).toEqual(['anna']);
    await db.raw(`SELECT set_config('app.include_children', 'on', true)`);
    expect(await db('users').orderBy('login').pluck('login')).toEqual(['anna', 'otto']);
    await db.raw(`SELECT set_config('app.include_children', 'off', true)`);
    const other = (await db.raw<{ rows: Array<{ id: string }> }>('SELECT gen_random_uuid() AS id')).rows[0]!.id;
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [other]);
    expect([await db('events').pluck('id'), await db('seats').pluck('id'), await db('orders').pluck('id')]).toEqual([[], [], []]);
    await expectRejects(db, (t) => t('seats').insert({ tenant_id: promoterId, event_id: eventId, category_id: categoryId, block: 'A', row_label: '1', row_index: 1, seat_number: 2 }), /row-level security/);
    // The sellable events and the tenant are computed once per statement, not by a function call per row.
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [outlet]);
    const plan = (await db.raw<{ rows: Array<Record<string, string>> }>('EXPLAIN SELECT id FROM seats WHERE event_id = ?', [eventId])).rows.map((r) => Object.values(r).join(' ')).join('\n');
    expect(plan).not.toMatch(/app_may_sell|app_visible_tenant/);
    expect(plan).toMatch(/hashed SubPlan|InitPlan/);
  },
  '20261205100000_add_user_auth_source': async (db) => {
    const dn = 'uid=dirk,ou=people,dc=example,dc=test';
    await db('users').insert({ tenant_id: tenantId, display_name: 'D', password_hash: '!directory', login: 'dirk', auth_source: 'directory', directory_dn: dn });
    expect(await db('users').where({ login: 'anna' }).first('auth_source', 'directory_dn', 'directory_disabled')).toEqual({ auth_source: 'local', directory_dn: null, directory_disabled: false });
    await expectRejects(db, (t) => t('users').insert({ tenant_id: tenantId, display_name: 'E', password_hash: 'x', login: 'erna', auth_source: 'directory' }), /users_directory_fields/);
    await expectRejects(db, (t) => t('users').insert({ tenant_id: tenantId, display_name: 'E', password_hash: 'x', login: 'erna', auth_source: 'ldap' }), /check/i);
    // Only the directory's own disabling is marked, and only on a disabled directory user.
    await expectRejects(db, (t) => t('users').where({ login: 'dirk' }).update({ directory_disabled: true }), /users_directory_fields/);
    await db('users').where({ login: 'dirk' }).update({ directory_disabled: true, disabled_at: new Date() });
  },
  '20261205100100_create_directory_configs': async (db) => {
    const config = {
      tenant_id: tenantId,
      enabled: true,
      url: 'ldaps://ldap.example.test:636',
      start_tls: false,
      ca_cert_pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      bind_dn: 'cn=svc,dc=example,dc=test',
      bind_password_enc: 'v1.abc.def',
      base_dn: 'dc=example,dc=test',
      user_filter: '(objectClass=person)',
      login_attribute: 'uid',
      display_name_attribute: 'cn',
      group_base_dn: 'dc=example,dc=test',
      group_filter: '(member={dn})',
      timeout_ms: 5000,
      updated_at: new Date(),
    };
    await expectRejects(db, (t) => t('directory_configs').insert({ ...config, url: 'ldap://ldap.example.test' }), /directory_configs_check/);
    await expectRejects(db, (t) => t('directory_configs').insert({ ...config, url: 'ldaps://ldap.example.test/dc=x' + String.fromCharCode(63) + 'uid' }), /url_check/);
    await expectRejects(db, (t) => t('directory_configs').insert({ ...config, bind_password_enc: 'service-Secret-1' }), /bind_password_enc_check/);
    await expectRejects(db, (t) => t('directory_configs').insert({ ...config, group_filter: '(member=x)' }), /group_filter_check/);
    await db('directory_configs').insert({ ...config, url: 'ldap://ldap.example.test:389', start_tls: true });
    const outlet = await outletId(db);
    await db.raw('SET LOCAL ROLE boxoffice_app');
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [outlet]);
    expect(await db('directory_configs').count('* as n')).toEqual([{ n: 0 }]);
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [tenantId]);
    expect(await db('directory_configs').pluck('url')).toEqual(['ldap://ldap.example.test:389']);
  },
  '20261205100200_create_directory_group_mappings': async (db) => {
    const mapping = { tenant_id: tenantId, group_dn: 'cn=clerks,dc=example,dc=test', permission: 'sales.sell', granted_at: new Date() };
    // A mapping needs the tenant's directory.
    await expectRejects(db, (t) => t('directory_group_mappings').insert(mapping), /foreign key/);
    await db('directory_configs').insert({
      tenant_id: tenantId, enabled: true, url: 'ldaps://ldap.example.test', start_tls: false, ca_cert_pem: '-----BEGIN CERTIFICATE-----x', bind_dn: 'cn=svc', bind_password_enc: 'v1.a.b',
      base_dn: 'dc=x', user_filter: '(uid=*)', login_attribute: 'uid', display_name_attribute: 'cn', group_base_dn: 'dc=x', group_filter: '(member={dn})', timeout_ms: 1000, updated_at: new Date(),
    });
    await db('directory_group_mappings').insert(mapping);
    await expectRejects(db, (t) => t('directory_group_mappings').insert(mapping), /unique|duplicate/i);
    await expectRejects(db, (t) => t('directory_group_mappings').insert({ ...mapping, permission: 'Sales Sell' }), /check/i);
    await db.raw('SET LOCAL ROLE boxoffice_app');
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [promoterId]);
    expect(await db('directory_group_mappings').count('* as n')).toEqual([{ n: 0 }]);
  },
  '20261205100300_add_workstation_owner': async (db) => {
    const { user } = await userAndWs(db);
    expect(await db('workstations').where({ cert_serial: 'aa02' }).first('kind', 'user_id')).toEqual({ kind: 'workstation', user_id: null });
    const cert = { tenant_id: tenantId, name: 'user:anna', cert_serial: 'dd04', cert_fingerprint: 'd'.repeat(64), cert_not_after: new Date('2030-01-01') };
    await expectRejects(db, (t) => t('workstations').insert({ ...cert, kind: 'user' }), /workstations_owner_kind/);
    await expectRejects(db, (t) => t('workstations').insert({ ...cert, user_id: user }), /workstations_owner_kind/);
    // The owner belongs to the certificate's tenant.
    await expectRejects(db, (t) => t('workstations').insert({ ...cert, tenant_id: promoterId, kind: 'user', user_id: user }), /workstations_owner_fk/);
    await db('workstations').insert({ ...cert, kind: 'user', user_id: user });
  },
  '20261205100400_create_workstation_sign_in_rules': async (db) => {
    const { user, ws } = await userAndWs(db);
    const rule = { tenant_id: tenantId, workstation_id: ws, created_at: new Date() };
    await expectRejects(db, (t) => t('workstation_sign_in_rules').insert(rule), /check/i);
    await expectRejects(db, (t) => t('workstation_sign_in_rules').insert({ ...rule, user_id: user, group_dn: 'cn=g' }), /check/i);
    await db('workstation_sign_in_rules').insert({ ...rule, user_id: user });
    await db('workstation_sign_in_rules').insert({ ...rule, group_dn: 'cn=clerks,dc=example,dc=test' });
    await expectRejects(db, (t) => t('workstation_sign_in_rules').insert({ ...rule, user_id: user }), /unique|duplicate/i);
    await expectRejects(db, (t) => t('workstation_sign_in_rules').insert({ ...rule, tenant_id: promoterId, group_dn: 'cn=x' }), /foreign key/);
    await db.raw('SET LOCAL ROLE boxoffice_app');
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [promoterId]);
    expect(await db('workstation_sign_in_rules').count('* as n')).toEqual([{ n: 0 }]);
    await db.raw(`SELECT set_config('app.tenant_id', ?, true)`, [tenantId]);
    expect(await db('workstation_sign_in_rules').count('* as n')).toEqual([{ n: 2 }]);
  },
  '20261205110000_create_intrusion_signals': async (db) => {
    await db.raw('SET LOCAL ROLE boxoffice_app');
    const signal = { at: new Date('2027-01-01T00:00:00Z'), source: '192.0.2.7', kind: 'scan', detail: '404 GET /wp-admin' };
    await db('intrusion_signals').insert(signal);
    await expectRejects(db, (t) => t('intrusion_signals').insert({ ...signal, kind: 'guess' }), /check/i);
    await expectRejects(db, (t) => t('intrusion_signals').insert({ ...signal, detail: 'x'.repeat(301) }), /check/i);
    await expectRejects(db, (t) => t('intrusion_signals').update({ detail: 'changed' }), /permission denied/i);
    expect(await db('intrusion_signals').where('at', '<', new Date('2027-01-02T00:00:00Z')).delete().returning('id')).toHaveLength(1);
  },
  '20261205110100_create_intrusion_blocks': async (db) => {
    await db.raw('SET LOCAL ROLE boxoffice_app');
    const at = new Date('2027-01-01T00:00:00Z');
    const block = { source: '192.0.2.7', trigger: 'scan', level: 0, signals: JSON.stringify({ counts: { scan: 100 } }), blocked_at: at, blocked_until: new Date(at.getTime() + 900_000) };
    const [row] = await db('intrusion_blocks').insert(block).returning('id');
    await expectRejects(db, (t) => t('intrusion_blocks').insert({ ...block, blocked_until: at }), /check/i);
    await expectRejects(db, (t) => t('intrusion_blocks').insert({ ...block, trigger: 'guess' }), /check/i);
    // Lifting needs its reason; nothing but the lift columns may change.
    await expectRejects(db, (t) => t('intrusion_blocks').where({ id: row.id }).update({ lifted_at: at }), /check/i);
    await expectRejects(db, (t) => t('intrusion_blocks').where({ id: row.id }).update({ blocked_until: at }), /permission denied/i);
    expect(await db('intrusion_blocks').where({ id: row.id }).update({ lifted_at: at, lift_reason: 'false alarm' }).returning('id')).toHaveLength(1);
    expect(await db('intrusion_blocks').where({ id: row.id }).delete().returning('id')).toHaveLength(1);
  },
  '20261205130000_create_maintenance_window': async (db) => {
    const row = { starts_at: new Date('2027-01-01T01:00:00Z'), ends_at: new Date('2027-01-01T03:00:00Z'), message: 'Wartung', set_at: new Date() };
    await db('maintenance_window').insert(row);
    await expectRejects(db, (t) => t('maintenance_window').insert({ ...row, id: 2 }), /check/i);
    await expectRejects(db, (t) => t('maintenance_window').insert(row), /unique|duplicate/i);
    await expectRejects(db, (t) => t('maintenance_window').update({ ends_at: row.starts_at }), /check/i);
    await expectRejects(db, (t) => t('maintenance_window').update({ message: '' }), /check/i);
  },
  '20261205130100_create_rate_limit_counters': async (db) => {
    const at = new Date('2027-01-01T00:00:00Z');
    await db('rate_limit_counters').insert({ bucket: 'api:ws', window_start: at, hits: 1 });
    await db.raw('INSERT INTO rate_limit_counters (bucket, window_start, hits) VALUES (?, ?, 1) ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limit_counters.hits + 1', ['api:ws', at]);
    expect(await db('rate_limit_counters').pluck('hits')).toEqual([2]);
    await expectRejects(db, (t) => t('rate_limit_counters').insert({ bucket: 'api:ws2', window_start: at, hits: 0 }), /check/i);
  },
  '20261205130200_create_job_runs': async (db) => {
    const run = { job: 'backup', slot: new Date('2027-01-01T00:00:00Z'), instance: 'host:1', started_at: new Date(), outcome: 'running' };
    await db('job_runs').insert(run);
    await expectRejects(db, (t) => t('job_runs').insert(run), /unique|duplicate/i);
    await expectRejects(db, (t) => t('job_runs').update({ outcome: 'ok' }), /check/i);
    await expectRejects(db, (t) => t('job_runs').insert({ ...run, job: 'Bad Job!' }), /check/i);
    expect(await db('job_runs').update({ outcome: 'ok', finished_at: new Date() })).toBe(1);
  },
};

describe('migration list', () => {
  it('names every file in server/migrations exactly once, in timestamp order', () => {
    const dir = path.resolve(import.meta.dirname, '../../../server/migrations');
    const files = readdirSync(dir)
      .filter((f) => /^\d{14}_.+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(migrations.map((m) => m.name)).toEqual(files);
  });

  it('has a test for every migration', () => {
    expect(Object.keys(specs).sort()).toEqual(migrations.map((m) => m.name));
  });
});

for (const backend of testBackends()) {
  describe(`migrations on ${backend}`, () => {
    let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
    let admin: Knex;

    beforeAll(async () => {
      empty = await createEmptyDatabase(backend);
      admin = empty.admin;
    });
    afterAll(async () => {
      await empty.cleanup();
    });

    // Sequential by design: each step builds on the previous one, starting from an empty database.
    for (const migration of migrations) {
      it(`${migration.name}: up establishes its schema, down restores the previous one, up again`, async () => {
        const before = await schemaSnapshot(admin);
        await admin.migrate.up(MIGRATION_CONFIG);
        const afterUp = await schemaSnapshot(admin);
        expect(afterUp).not.toBe(before);
        // Checks write rows; run them in a transaction that is rolled back so down/up see the same state.
        await admin
          .transaction(async (trx) => {
            const spec = specs[migration.name];
            if (spec === undefined) throw new Error(`no spec for ${migration.name}`);
            await spec(trx);
            throw new RollbackSignal();
          })
          .catch((error: unknown) => {
            if (!(error instanceof RollbackSignal)) throw error;
          });
        await admin.migrate.down(MIGRATION_CONFIG);
        expect(await schemaSnapshot(admin)).toBe(before);
        await admin.migrate.up(MIGRATION_CONFIG);
        expect(await schemaSnapshot(admin)).toBe(afterUp);
        await seedFor(admin, migration.name);
      });
    }

    it('ends with no pending migration', async () => {
      const [, pending] = (await admin.migrate.list(MIGRATION_CONFIG)) as [unknown, unknown[]];
      expect(pending).toEqual([]);
    });
  });
}

class RollbackSignal extends Error {}

/** Rows later specs rely on, inserted after a migration's own check has been rolled back. */
async function seedFor(db: Knex, name: string): Promise<void> {
  if (name === '20261204130400_add_user_lockout_reset') {
    await db('tenants').insert({ id: promoterId, kind: 'promoter', code: 'promo', name: 'Promoter', parent_id: tenantId });
  }
  if (name === '20261204140000_create_venues') await db('venues').insert({ id: venueId, tenant_id: promoterId, name: 'Stadthalle' });
  if (name === '20261204140100_create_events') await db('events').insert(eventRow());
  if (name === '20261204140200_create_sales_rights') {
    await db('sales_rights').insert({ tenant_id: promoterId, event_id: eventId, outlet_id: await outletId(db), granted_at: new Date() });
  }
  if (name === '20261204140400_create_price_categories') {
    await db('price_categories').insert({ id: categoryId, tenant_id: promoterId, event_id: eventId, name: 'Kat 1', price_cents: 4500, vat_rate_bp: 700, seated: true, capacity: 2 });
  }
  if (name === '20261204140600_create_seats') {
    await db('seats').insert({ id: seatId, tenant_id: promoterId, event_id: eventId, category_id: categoryId, block: 'A', row_label: '1', row_index: 1, seat_number: 1 });
  }
  if (name === '20261204140800_create_orders') await db('orders').insert(orderRow(db, await userAndWs(db)));
  if (name === '20261204160000_create_blank_batches') {
    await db('blank_batches').insert({ id: blankBatchId, tenant_id: tenantId, first_number: 1, last_number: 6, registered_at: new Date(), registered_by: (await userAndWs(db)).user });
  }
  if (name === '20261204160100_create_blanks') await db.raw('INSERT INTO blanks (number, tenant_id, batch_id) SELECT g, ?, ? FROM generate_series(1, 6) g', [tenantId, blankBatchId]);
  if (name === '20261204160300_create_print_jobs') {
    const { user, ws } = await userAndWs(db);
    await db('print_jobs').insert({ id: printJobId, tenant_id: tenantId, order_id: orderId, kind: 'print', workstation_id: ws, created_by: user, created_at: new Date(), first_blank: 4, last_blank: 6 });
  }
  if (name === '20261204120100_create_tenants') {
    await db('tenants').insert({ id: tenantId, kind: 'operator', code: 'op', name: 'Operator' });
    await db('tenants').insert({ kind: 'outlet', code: 'outlet-1', name: 'Outlet', parent_id: tenantId });
  }
  if (name === '20261204120200_create_users') {
    await db('users').insert({ tenant_id: tenantId, display_name: 'A', password_hash: 'x', login: 'anna' });
  }
  if (name === '20261204120300_create_workstations') {
    await db('workstations').insert({ tenant_id: tenantId, name: 'kasse-1', cert_serial: 'aa02', cert_fingerprint: 'b'.repeat(64), cert_not_after: new Date('2030-01-01T00:00:00Z') });
  }
  if (name === '20261204120500_create_audit_log') {
    await db('audit_log').insert({ tenant_id: tenantId, seq: 1, at: new Date(), action: 'test.action', entity: 'test', prev_hash: '0'.repeat(64), hash: 'f'.repeat(64) });
  }
}
