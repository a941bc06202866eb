import { useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { Static } from 'typebox';
import type { SessionView } from '../../../../shared/api/users.js';
import { useI18n } from '../../../i18n/context.js';
import { DataTable, type Column } from '../../../lib/DataTable.js';
import { formatInstant } from '../../../lib/office-format.js';
import type { AdminStore } from '../store.js';

type Session = Static<typeof SessionView>;

export function SessionsPanel({ store }: { store: AdminStore }) {
  const { t } = useI18n();
  const sessions = useStore(store, (s) => s.sessions);
  const busy = useStore(store, (s) => s.busy);
  useEffect(() => {
    void store.getState().loadSessions();
  }, [store]);
  const columns = useMemo<Column<Session>[]>(
    () => [
      { key: 'user', label: t('admin.sessions.user'), value: (s) => `${s.displayName} (${s.login})` },
      { key: 'workstation', label: t('admin.sessions.workstation'), value: (s) => s.workstationName },
      { key: 'since', label: t('admin.sessions.since'), value: (s) => s.createdAt, render: (s) => formatInstant(s.createdAt) },
      { key: 'lastSeen', label: t('admin.sessions.lastSeen'), value: (s) => s.lastSeenAt, render: (s) => formatInstant(s.lastSeenAt) },
      { key: 'expires', label: t('admin.sessions.expires'), value: (s) => s.expiresAt, render: (s) => formatInstant(s.expiresAt) },
      {
        key: 'end',
        label: t('admin.sessions.end'),
        sortable: false,
        value: () => null,
        csv: () => null,
        render: (s) => (
          <button type="button" className="button" disabled={busy} aria-label={t('admin.sessions.endFor', { login: s.login, workstation: s.workstationName })} onClick={() => void store.getState().endSession(s.id)}>
            {t('admin.sessions.end')}
          </button>
        ),
      },
    ],
    [t, busy, store],
  );
  return (
    <section className="office-panel" aria-label={t('admin.sessions.caption')}>
      <DataTable caption={t('admin.sessions.caption')} rows={sessions} columns={columns} rowKey={(s) => s.id} exportName="sitzungen.csv" initialSort={{ key: 'lastSeen', direction: 'desc' }} />
    </section>
  );
}
