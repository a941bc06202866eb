import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { TenantKind } from '../../../../shared/api/system.js';
import type { Permission } from '../../../../shared/domain/permissions.js';
import { useServices } from '../../../app/services.js';
import { useI18n } from '../../../i18n/context.js';
import { failureMessage } from '../../../lib/office-format.js';
import { useAltKeys } from '../../../lib/use-alt-keys.js';
import { adminApi } from '../api.js';
import { createEventsStore, type EventsStore } from '../events-store.js';
import { grantableRights } from '../rights.js';
import { createAdminStore, type AdminStore } from '../store.js';
import { BillingProfilePanel } from './BillingProfilePanel.js';
import { EventsPanel } from './EventsPanel.js';
import { SessionsPanel } from './SessionsPanel.js';
import { UsersPanel } from './UsersPanel.js';
import { WorkstationsPanel } from './WorkstationsPanel.js';

type AdminTab = 'users' | 'sessions' | 'workstations' | 'events' | 'profile';
const TABS: ReadonlyArray<{ tab: AdminTab; key: string; right: Permission }> = [
  { tab: 'users', key: 'B', right: 'users.manage' },
  { tab: 'sessions', key: 'I', right: 'users.manage' },
  { tab: 'workstations', key: 'A', right: 'workstations.manage' },
  { tab: 'events', key: 'V', right: 'events.manage' },
  { tab: 'profile', key: 'R', right: 'users.manage' },
];
const SEARCH_ID = 'admin-user-search';

export function AdminScreen() {
  const services = useServices();
  const api = useMemo(() => adminApi(services.backend), [services.backend]);
  const admin = useMemo(() => createAdminStore({ api }), [api]);
  const events = useMemo(() => createEventsStore({ api }), [api]);
  const permissions = useStore(services.session, (s) => s.session?.permissions) ?? [];
  const workstation = useStore(services.session, (s) => s.workstation);
  const tenantKind = workstation.state === 'ok' ? workstation.whoami.tenant.kind : 'outlet';
  return <AdminView admin={admin} events={events} permissions={permissions} tenantKind={tenantKind} />;
}

export interface AdminViewProps {
  readonly admin: AdminStore;
  readonly events: EventsStore;
  /** The signed-in user's own rights: what the screen shows and what it offers to grant. */
  readonly permissions: readonly string[];
  readonly tenantKind: TenantKind;
}

export function AdminView({ admin, events, permissions, tenantKind }: AdminViewProps) {
  const { t } = useI18n();
  const tabs = TABS.filter((tab) => permissions.includes(tab.right));
  const [tab, setTab] = useState<AdminTab | undefined>(tabs[0]?.tab);
  const grantable = useMemo(() => grantableRights(permissions, tenantKind), [permissions, tenantKind]);
  const adminError = useStore(admin, (s) => s.error);
  const adminNotice = useStore(admin, (s) => s.notice);
  const eventsError = useStore(events, (s) => s.error);
  const eventsNotice = useStore(events, (s) => s.notice);

  const keys: Record<string, () => void> = {};
  for (const entry of tabs) keys[entry.key.toLowerCase()] = () => setTab(entry.tab);
  if (tab === 'users') keys['s'] = () => document.getElementById(SEARCH_ID)?.focus();
  useAltKeys(keys);

  const error = tab === 'events' ? eventsError : adminError;
  const notice = tab === 'events' ? (eventsNotice === null ? null : t(`admin.notice.${eventsNotice.key}`, { label: eventsNotice.label })) : adminNotice === null ? null : t(`admin.notice.${adminNotice.key}`, { label: adminNotice.label });

  return (
    <div className="office-screen">
      <h2>{t('admin.title')}</h2>
      <div role="tablist" aria-label={t('admin.tabs')} className="office-tabs">
        {tabs.map((entry) => (
          <button
            key={entry.tab}
            type="button"
            role="tab"
            id={`admin-tab-${entry.tab}`}
            aria-selected={tab === entry.tab}
            aria-controls="admin-panel"
            aria-keyshortcuts={`Alt+${entry.key}`}
            className="button office-tab"
            onClick={() => setTab(entry.tab)}
          >
            {t(`admin.tab.${entry.tab}`)} <kbd>{t('admin.shortcut', { key: entry.key })}</kbd>
          </button>
        ))}
      </div>
      <div aria-live="polite" className="office-messages">
        {notice === null ? null : <p className="office-notice">{notice}</p>}
      </div>
      {error === null ? null : <p role="alert">{failureMessage(t, error, 'admin')}</p>}
      <div role="tabpanel" id="admin-panel" aria-labelledby={tab === undefined ? undefined : `admin-tab-${tab}`}>
        {tab === 'users' ? <UsersPanel store={admin} grantable={grantable} searchId={SEARCH_ID} /> : null}
        {tab === 'sessions' ? <SessionsPanel store={admin} /> : null}
        {tab === 'workstations' ? <WorkstationsPanel store={admin} /> : null}
        {tab === 'events' ? <EventsPanel store={events} /> : null}
        {tab === 'profile' ? <BillingProfilePanel store={admin} /> : null}
      </div>
    </div>
  );
}
