/**
 * Every right the server checks. Names are stable: they are stored in the database and shown in the UI.
 * Role templates are presets only; what a user holds is the list of rights granted to them.
 */
export const PERMISSIONS = [
  'sales.sell',
  'sales.cancel',
  // Cancelling a ticket that has already been used for admission.
  'sales.cancel_admitted',
  'tickets.print',
  'tickets.reprint',
  // Reprinting a ticket already used for admission: its fresh barcode could admit a second person.
  'tickets.reprint_admitted',
  'stock.manage',
  'entry.scan',
  'invoices.view',
  'invoices.issue',
  'invoices.cancel',
  'payments.book',
  'events.manage',
  'users.manage',
  'workstations.manage',
  'audit.view',
  'reports.view',
  // Operator only: create tenants and act on sub-tenants' users and workstations.
  'tenants.manage',
  // Operator only: see blocked source addresses (intrusion prevention) and lift blocks.
  'intrusion.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** Rights that only the operator's own staff can be granted: they act on the whole platform. */
export const OPERATOR_ONLY_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['tenants.manage', 'intrusion.manage']);

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export const ROLE_TEMPLATES = {
  clerk: ['sales.sell', 'sales.cancel', 'tickets.print', 'reports.view'],
  entry: ['entry.scan'],
  accountant: ['invoices.view', 'invoices.issue', 'invoices.cancel', 'payments.book', 'reports.view'],
  manager: [
    'sales.sell',
    'sales.cancel',
    'tickets.print',
    'tickets.reprint',
    'tickets.reprint_admitted',
    'stock.manage',
    'entry.scan',
    'events.manage',
    'users.manage',
    'workstations.manage',
    'audit.view',
    'reports.view',
  ],
} as const satisfies Record<string, readonly Permission[]>;

export type RoleTemplate = keyof typeof ROLE_TEMPLATES;
