/**
 * The screen registry: every screen of the app, with the rights it needs, its title, its shortcut
 * (Alt + digit, shown in the navigation) and its component, loaded when first opened. Navigation shows
 * only the screens the session's rights allow; the server refuses the rest anyway. A screen that does
 * not exist yet is not listed — there are no placeholders.
 *
 * Shortcuts, fixed per screen so they never move with a user's rights: 1 sales, 2 orders, 3 till,
 * 4 printing and stock, 5 entry, 6 invoicing, 7 admin, 8 audit, 9 system status, 0 intrusion blocks
 * (operator staff; last in the navigation, as 0 is last on the keyboard).
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Permission } from '../../shared/domain/permissions.js';
import type { MessageKey } from '../i18n/messages.js';

export const SCREEN_SHORTCUT_DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;
export type ScreenShortcutDigit = (typeof SCREEN_SHORTCUT_DIGITS)[number];

export interface ScreenDefinition {
  readonly id: string;
  readonly titleKey: MessageKey;
  /** The screen is shown if the session holds at least one of these; empty: every signed-in user. */
  readonly permissions: readonly Permission[];
  /** Alt + this digit opens the screen. */
  readonly shortcut: ScreenShortcutDigit;
  readonly component: LazyExoticComponent<ComponentType>;
}

export const SCREENS: readonly ScreenDefinition[] = [
  { id: 'orders', titleKey: 'screen.orders', permissions: ['sales.sell'], shortcut: '2', component: lazy(() => import('../features/orders/components/OrdersScreen.js').then((m) => ({ default: m.OrdersScreen }))) },
  { id: 'sales', titleKey: 'screen.sales', permissions: ['sales.sell'], shortcut: '1', component: lazy(() => import('../features/sales/components/SalesScreen.js').then((m) => ({ default: m.SalesScreen }))) },
  { id: 'till', titleKey: 'till.title', permissions: ['sales.sell'], shortcut: '3', component: lazy(() => import('../features/till/TillRoute.js').then((m) => ({ default: m.TillRoute }))) },
  { id: 'stock', titleKey: 'stock.title', permissions: ['tickets.print', 'stock.manage'], shortcut: '4', component: lazy(() => import('../features/stock/StockRoute.js').then((m) => ({ default: m.StockRoute }))) },
  { id: 'entry', titleKey: 'entry.title', permissions: ['entry.scan'], shortcut: '5', component: lazy(() => import('../features/entry/EntryRoute.js').then((m) => ({ default: m.EntryRoute }))) },
  { id: 'invoicing', titleKey: 'invoicing.screen', permissions: ['invoices.view'], shortcut: '6', component: lazy(() => import('../features/invoicing/components/InvoicingScreen.js').then((m) => ({ default: m.InvoicingScreen }))) },
  { id: 'admin', titleKey: 'admin.screen', permissions: ['users.manage', 'workstations.manage', 'events.manage'], shortcut: '7', component: lazy(() => import('../features/admin/components/AdminScreen.js').then((m) => ({ default: m.AdminScreen }))) },
  { id: 'intrusion', titleKey: 'intrusion.screen', permissions: ['intrusion.manage'], shortcut: '0', component: lazy(() => import('../features/intrusion/components/IntrusionScreen.js').then((m) => ({ default: m.IntrusionScreen }))) },
  { id: 'audit', titleKey: 'audit.screen', permissions: ['audit.view'], shortcut: '8', component: lazy(() => import('../features/audit/components/AuditScreen.js').then((m) => ({ default: m.AuditScreen }))) },
  {
    id: 'status',
    titleKey: 'screen.status',
    permissions: [],
    shortcut: '9',
    component: lazy(() => import('./StatusScreen.js').then((module) => ({ default: module.StatusScreen }))),
  },
];

/** The screens a session with these rights may open, in shortcut order (Alt+1 first). */
export function visibleScreens(screens: readonly ScreenDefinition[], hasAny: (permissions: readonly Permission[]) => boolean): ScreenDefinition[] {
  return screens.filter((screen) => hasAny(screen.permissions)).sort((a, b) => SCREEN_SHORTCUT_DIGITS.indexOf(a.shortcut) - SCREEN_SHORTCUT_DIGITS.indexOf(b.shortcut));
}
