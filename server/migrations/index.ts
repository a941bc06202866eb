import type { Knex } from 'knex';
import * as createAppRole from './20261204120000_create_app_role.js';
import * as createTenants from './20261204120100_create_tenants.js';
import * as createUsers from './20261204120200_create_users.js';
import * as createWorkstations from './20261204120300_create_workstations.js';
import * as createSessions from './20261204120400_create_sessions.js';
import * as createAuditLog from './20261204120500_create_audit_log.js';
import * as protectAuditLog from './20261204120600_protect_audit_log.js';
import * as enableRowLevelSecurity from './20261204130000_enable_row_level_security.js';
import * as createUserPermissions from './20261204130100_create_user_permissions.js';
import * as createPasswordHistory from './20261204130200_create_password_history.js';
import * as createLoginAttempts from './20261204130300_create_login_attempts.js';
import * as addUserLockoutReset from './20261204130400_add_user_lockout_reset.js';
import * as createVenues from './20261204140000_create_venues.js';
import * as createEvents from './20261204140100_create_events.js';
import * as createSalesRights from './20261204140200_create_sales_rights.js';
import * as restrictEventsToSellers from './20261204140300_restrict_events_to_sellers.js';
import * as createPriceCategories from './20261204140400_create_price_categories.js';
import * as createSalesQuotas from './20261204140500_create_sales_quotas.js';
import * as createSeats from './20261204140600_create_seats.js';
import * as createTillSessions from './20261204140700_create_till_sessions.js';
import * as createOrders from './20261204140800_create_orders.js';
import * as createTickets from './20261204140900_create_tickets.js';
import * as createPayments from './20261204141000_create_payments.js';
import * as createIdempotencyKeys from './20261204141100_create_idempotency_keys.js';
import * as createHolds from './20261204141200_create_holds.js';
import * as refusePaymentsInClosedTill from './20261204143000_refuse_payments_in_closed_till.js';
import * as outletDirectory from './20261204150000_outlet_directory.js';
import * as seatsFrontFirstIndex from './20261204155000_seats_front_first_index.js';
import * as createBlankBatches from './20261204160000_create_blank_batches.js';
import * as createBlanks from './20261204160100_create_blanks.js';
import * as createPrintTrays from './20261204160200_create_print_trays.js';
import * as createPrintJobs from './20261204160300_create_print_jobs.js';
import * as createTicketPrints from './20261204160400_create_ticket_prints.js';
import * as promoterDirectory from './20261204160500_promoter_directory.js';
import * as createBillingProfiles from './20261204170000_create_billing_profiles.js';
import * as createInvoiceCounters from './20261204170100_create_invoice_counters.js';
import * as createInvoices from './20261204170200_create_invoices.js';
import * as createEscrowTransactions from './20261204170300_create_escrow_transactions.js';
import * as discardEscrowTransactions from './20261204170400_discard_escrow_transactions.js';
import * as addBillingContact from './20261204170500_add_billing_contact.js';
import * as createEntryLists from './20261204180000_create_entry_lists.js';
import * as createCheckIns from './20261204180100_create_check_ins.js';
import * as policiesEvaluatedOnce from './20261204190000_policies_evaluated_once.js';
import * as addUserAuthSource from './20261205100000_add_user_auth_source.js';
import * as createDirectoryConfigs from './20261205100100_create_directory_configs.js';
import * as createDirectoryGroupMappings from './20261205100200_create_directory_group_mappings.js';
import * as addWorkstationOwner from './20261205100300_add_workstation_owner.js';
import * as createWorkstationSignInRules from './20261205100400_create_workstation_sign_in_rules.js';
import * as createIntrusionSignals from './20261205110000_create_intrusion_signals.js';
import * as createIntrusionBlocks from './20261205110100_create_intrusion_blocks.js';
import * as createMaintenanceWindow from './20261205130000_create_maintenance_window.js';
import * as createRateLimitCounters from './20261205130100_create_rate_limit_counters.js';
import * as createJobRuns from './20261205130200_create_job_runs.js';

export interface Migration {
  name: string;
  up: (knex: Knex) => Promise<void>;
  down: (knex: Knex) => Promise<void>;
}

/**
 * Every migration in order. A static list (instead of a directory scan) works the same under tsx, in a
 * bundle and in tests; a test checks that it matches the files in this folder.
 */
export const migrations: readonly Migration[] = [
  { name: '20261204120000_create_app_role', ...createAppRole },
  { name: '20261204120100_create_tenants', ...createTenants },
  { name: '20261204120200_create_users', ...createUsers },
  { name: '20261204120300_create_workstations', ...createWorkstations },
  { name: '20261204120400_create_sessions', ...createSessions },
  { name: '20261204120500_create_audit_log', ...createAuditLog },
  { name: '20261204120600_protect_audit_log', ...protectAuditLog },
  { name: '20261204130000_enable_row_level_security', ...enableRowLevelSecurity },
  { name: '20261204130100_create_user_permissions', ...createUserPermissions },
  { name: '20261204130200_create_password_history', ...createPasswordHistory },
  { name: '20261204130300_create_login_attempts', ...createLoginAttempts },
  { name: '20261204130400_add_user_lockout_reset', ...addUserLockoutReset },
  { name: '20261204140000_create_venues', ...createVenues },
  { name: '20261204140100_create_events', ...createEvents },
  { name: '20261204140200_create_sales_rights', ...createSalesRights },
  { name: '20261204140300_restrict_events_to_sellers', ...restrictEventsToSellers },
  { name: '20261204140400_create_price_categories', ...createPriceCategories },
  { name: '20261204140500_create_sales_quotas', ...createSalesQuotas },
  { name: '20261204140600_create_seats', ...createSeats },
  { name: '20261204140700_create_till_sessions', ...createTillSessions },
  { name: '20261204140800_create_orders', ...createOrders },
  { name: '20261204140900_create_tickets', ...createTickets },
  { name: '20261204141000_create_payments', ...createPayments },
  { name: '20261204141100_create_idempotency_keys', ...createIdempotencyKeys },
  { name: '20261204141200_create_holds', ...createHolds },
  { name: '20261204143000_refuse_payments_in_closed_till', ...refusePaymentsInClosedTill },
  { name: '20261204150000_outlet_directory', ...outletDirectory },
  { name: '20261204155000_seats_front_first_index', ...seatsFrontFirstIndex },
  { name: '20261204160000_create_blank_batches', ...createBlankBatches },
  { name: '20261204160100_create_blanks', ...createBlanks },
  { name: '20261204160200_create_print_trays', ...createPrintTrays },
  { name: '20261204160300_create_print_jobs', ...createPrintJobs },
  { name: '20261204160400_create_ticket_prints', ...createTicketPrints },
  { name: '20261204160500_promoter_directory', ...promoterDirectory },
  { name: '20261204170000_create_billing_profiles', ...createBillingProfiles },
  { name: '20261204170100_create_invoice_counters', ...createInvoiceCounters },
  { name: '20261204170200_create_invoices', ...createInvoices },
  { name: '20261204170300_create_escrow_transactions', ...createEscrowTransactions },
  { name: '20261204170400_discard_escrow_transactions', ...discardEscrowTransactions },
  { name: '20261204170500_add_billing_contact', ...addBillingContact },
  { name: '20261204180000_create_entry_lists', ...createEntryLists },
  { name: '20261204180100_create_check_ins', ...createCheckIns },
  { name: '20261204190000_policies_evaluated_once', ...policiesEvaluatedOnce },
  { name: '20261205100000_add_user_auth_source', ...addUserAuthSource },
  { name: '20261205100100_create_directory_configs', ...createDirectoryConfigs },
  { name: '20261205100200_create_directory_group_mappings', ...createDirectoryGroupMappings },
  { name: '20261205100300_add_workstation_owner', ...addWorkstationOwner },
  { name: '20261205100400_create_workstation_sign_in_rules', ...createWorkstationSignInRules },
  { name: '20261205110000_create_intrusion_signals', ...createIntrusionSignals },
  { name: '20261205110100_create_intrusion_blocks', ...createIntrusionBlocks },
  { name: '20261205130000_create_maintenance_window', ...createMaintenanceWindow },
  { name: '20261205130100_create_rate_limit_counters', ...createRateLimitCounters },
  { name: '20261205130200_create_job_runs', ...createJobRuns },
];
