import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { WorkstationView } from '../../../../shared/api/workstations.js';
import { useI18n } from '../../../i18n/context.js';
import { DataTable, type Column } from '../../../lib/DataTable.js';
import { formatInstant } from '../../../lib/office-format.js';
import type { AdminStore } from '../store.js';

/**
 * Workstations with their certificates; revoking ends every session there at once. Issuing is not
 * offered here on purpose: the CA key stays off the API server (server/src/modules/workstations/routes.ts),
 * so the screen names the command the platform operator runs.
 */
export function WorkstationsPanel({ store }: { store: AdminStore }) {
  const { t } = useI18n();
  const workstations = useStore(store, (s) => s.workstations);
  const busy = useStore(store, (s) => s.busy);
  const [which, setWhich] = useState('');
  const [reason, setReason] = useState('');
  useEffect(() => {
    void store.getState().loadWorkstations();
  }, [store]);
  const columns = useMemo<Column<WorkstationView>[]>(
    () => [
      { key: 'name', label: t('admin.ws.name'), value: (w) => w.name },
      { key: 'serial', label: t('admin.ws.serial'), value: (w) => w.certSerial },
      { key: 'notAfter', label: t('admin.ws.notAfter'), value: (w) => w.certNotAfter, render: (w) => formatInstant(w.certNotAfter) },
      {
        key: 'state',
        label: t('admin.ws.state'),
        value: (w) => (w.revokedAt === null ? t('admin.ws.active') : t('admin.ws.revoked', { at: formatInstant(w.revokedAt), reason: w.revokedReason ?? '' })),
      },
    ],
    [t],
  );
  const active = workstations.filter((w) => w.revokedAt === null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store
      .getState()
      .revokeWorkstation(which, reason)
      .then((done) => {
        if (done) {
          setWhich('');
          setReason('');
        }
      });
  };
  return (
    <>
      <section className="office-panel" aria-label={t('admin.ws.caption')}>
        <DataTable caption={t('admin.ws.caption')} rows={workstations} columns={columns} rowKey={(w) => w.id} exportName="arbeitsplaetze.csv" initialSort={{ key: 'name', direction: 'asc' }} />
      </section>
      <form className="office-panel office-form office-form--row" onSubmit={submit} aria-labelledby="revoke-heading">
        <h3 id="revoke-heading">{t('admin.ws.revokeHeading')}</h3>
        <label>
          {t('admin.ws.revokeWhich')}
          <select value={which} required onChange={(e) => setWhich(e.target.value)}>
            <option value="">{t('admin.ws.choose')}</option>
            {active.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.ws.revokeReason')}
          <input type="text" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </label>
        <button type="submit" className="button" disabled={busy || which === ''}>
          {t('admin.ws.revokeSubmit')}
        </button>
      </form>
      <section className="office-panel" aria-labelledby="issue-heading">
        <h3 id="issue-heading">{t('admin.ws.issueHeading')}</h3>
        <p>{t('admin.ws.issueExplain')}</p>
        <pre className="office-code">npm run cli -- ca issue-workstation --tenant &lt;Mandant&gt; --name &lt;Name&gt;</pre>
      </section>
    </>
  );
}
