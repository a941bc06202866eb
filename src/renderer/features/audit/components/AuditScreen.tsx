import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { useServices } from '../../../app/services.js';
import { useI18n } from '../../../i18n/context.js';
import { DataTable, type Column } from '../../../lib/DataTable.js';
import { filterRows } from '../../../lib/list-tools.js';
import { failureMessage, formatInstant } from '../../../lib/office-format.js';
import { useAltKeys } from '../../../lib/use-alt-keys.js';
import { auditApi } from '../api.js';
import { createAuditStore, type AuditRow, type AuditStore } from '../store.js';

const SEARCH_ID = 'audit-action';
const short = (id: string | null) => (id === null ? '—' : id.slice(0, 8));

export function AuditScreen() {
  const { backend } = useServices();
  const store = useMemo(() => createAuditStore({ api: auditApi(backend) }), [backend]);
  return <AuditView store={store} />;
}

export function AuditView({ store }: { store: AuditStore }) {
  const { t } = useI18n();
  const rows = useStore(store, (s) => s.rows);
  const loading = useStore(store, (s) => s.loading);
  const error = useStore(store, (s) => s.error);
  const more = useStore(store, (s) => s.nextBeforeSeq);
  const selectedSeq = useStore(store, (s) => s.selectedSeq);
  const [quick, setQuick] = useState('');
  const shown = useMemo(() => filterRows(rows, quick, (r) => [r.action, r.entity, r.entityId, r.actorUserId, JSON.stringify(r.details)]), [rows, quick]);
  const selected = rows.find((r) => r.seq === selectedSeq);

  useEffect(() => {
    void store.getState().search();
    void store.getState().verify();
  }, [store]);
  useAltKeys({ s: () => document.getElementById(SEARCH_ID)?.focus(), p: () => void store.getState().verify() });

  const columns = useMemo<Column<AuditRow>[]>(
    () => [
      { key: 'seq', label: t('audit.col.seq'), value: (r) => r.seq, numeric: true },
      { key: 'at', label: t('audit.col.at'), value: (r) => r.at, render: (r) => formatInstant(r.at) },
      { key: 'action', label: t('audit.col.action'), value: (r) => r.action },
      { key: 'entity', label: t('audit.col.entity'), value: (r) => `${r.entity} ${r.entityId ?? ''}`.trim() },
      { key: 'user', label: t('audit.col.user'), value: (r) => r.actorUserId, render: (r) => short(r.actorUserId) },
      { key: 'workstation', label: t('audit.col.workstation'), value: (r) => r.workstationId, render: (r) => short(r.workstationId) },
    ],
    [t],
  );

  return (
    <div className="office-screen">
      <h2>{t('audit.title')}</h2>
      <ChainStatus store={store} />
      <Filters store={store} />
      {error === null ? null : <p role="alert">{failureMessage(t, error, 'audit')}</p>}
      <div className="office-split">
        <section className="office-split__main office-panel" aria-label={t('audit.list.caption')}>
          <label className="office-search">
            {t('audit.filter.quick')}
            <input type="search" value={quick} onChange={(e) => setQuick(e.target.value)} />
          </label>
          {loading ? <p role="status">{t('list.loading')}</p> : null}
          <DataTable caption={t('audit.list.caption')} rows={shown} columns={columns} rowKey={(r) => String(r.seq)} onOpen={(r) => store.getState().select(r.seq)} exportName="protokoll.csv" totalCount={rows.length} activeKey={selectedSeq === null ? undefined : String(selectedSeq)} />
          {more === null ? null : (
            <button type="button" className="button" disabled={loading} onClick={() => void store.getState().loadOlder()}>
              {t('audit.older')}
            </button>
          )}
        </section>
        <div className="office-split__side">{selected === undefined ? null : <EntryDetail store={store} row={selected} />}</div>
      </div>
    </div>
  );
}

function Filters({ store }: { store: AuditStore }) {
  const { t } = useI18n();
  const filters = useStore(store, (s) => s.filters);
  const loading = useStore(store, (s) => s.loading);
  const set = (patch: Parameters<ReturnType<AuditStore['getState']>['setFilters']>[0]) => store.getState().setFilters(patch);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store.getState().search();
  };
  return (
    <form className="office-panel office-form office-form--row" onSubmit={submit} aria-labelledby="audit-filter-heading">
      <h3 id="audit-filter-heading">{t('audit.filter.heading')}</h3>
      <label>
        {t('audit.filter.action')} <kbd>{t('audit.shortcut', { key: 'S' })}</kbd>
        <input id={SEARCH_ID} type="text" value={filters.action} maxLength={100} onChange={(e) => set({ action: e.target.value })} />
      </label>
      <label>
        {t('audit.filter.entity')}
        <input type="text" value={filters.entity} maxLength={100} onChange={(e) => set({ entity: e.target.value })} />
      </label>
      <label>
        {t('audit.filter.entityId')}
        <input type="text" value={filters.entityId} maxLength={200} onChange={(e) => set({ entityId: e.target.value })} />
      </label>
      <label>
        {t('audit.filter.userId')}
        <input type="text" value={filters.userId} maxLength={36} onChange={(e) => set({ userId: e.target.value })} />
      </label>
      <label>
        {t('audit.filter.from')}
        <input type="date" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
      </label>
      <label>
        {t('audit.filter.to')}
        <input type="date" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
      </label>
      <button type="submit" className="button button--primary" disabled={loading}>
        {t('audit.filter.submit')}
      </button>
    </form>
  );
}

/** Chain status in words and with an icon character; never colour alone. */
function ChainStatus({ store }: { store: AuditStore }) {
  const { t } = useI18n();
  const chain = useStore(store, (s) => s.chain);
  const state = useStore(store, (s) => s.chainState);
  const error = useStore(store, (s) => s.chainError);
  return (
    <section className="office-panel office-chain" aria-labelledby="chain-heading">
      <h3 id="chain-heading">{t('audit.chain.heading')}</h3>
      <div aria-live="polite">
        {state === 'checking' ? (
          <p role="status">
            <progress aria-label={t('audit.chain.checking')} /> {t('audit.chain.checking')}
          </p>
        ) : null}
        {state === 'done' && chain !== null ? (
          chain.ok ? (
            <p className="office-chain--ok" data-testid="chain-status">
              <span aria-hidden="true">✔ </span>
              {t('audit.chain.ok', { rows: chain.rows, at: formatInstant(chain.checkedAt) })}
            </p>
          ) : (
            <p className="office-chain--broken" role="alert" data-testid="chain-status">
              <span aria-hidden="true">✖ </span>
              {t('audit.chain.broken', { seq: chain.firstBroken?.seq ?? 0, reason: chain.firstBroken === null ? '' : t(`audit.chain.reason.${chain.firstBroken.reason}`) })}
            </p>
          )
        ) : null}
        {state === 'failed' && error !== null ? <p role="alert">{failureMessage(t, error, 'audit')}</p> : null}
      </div>
      {chain === null ? null : <p className="office-hint">{t('audit.chain.head', { hash: chain.headHash.slice(0, 16) })}…</p>}
      <button type="button" className="button" disabled={state === 'checking'} aria-keyshortcuts="Alt+P" onClick={() => void store.getState().verify()}>
        {t('audit.chain.check')} <kbd>{t('audit.shortcut', { key: 'P' })}</kbd>
      </button>
    </section>
  );
}

function EntryDetail({ store, row }: { store: AuditStore; row: AuditRow }) {
  const { t } = useI18n();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [row.seq]);
  return (
    <section className="office-panel" aria-labelledby="audit-entry-heading">
      <div className="office-detail__head">
        <h3 id="audit-entry-heading" tabIndex={-1} ref={ref}>
          {t('audit.detail.heading', { seq: row.seq })}
        </h3>
        <button type="button" className="button" onClick={() => store.getState().select(null)}>
          {t('audit.detail.close')}
        </button>
      </div>
      <dl className="office-facts">
        <dt>{t('audit.col.at')}</dt>
        <dd>{formatInstant(row.at)}</dd>
        <dt>{t('audit.col.action')}</dt>
        <dd>{row.action}</dd>
        <dt>{t('audit.col.entity')}</dt>
        <dd>
          {row.entity} {row.entityId ?? ''}
        </dd>
        <dt>{t('audit.col.user')}</dt>
        <dd>{row.actorUserId ?? '—'}</dd>
        <dt>{t('audit.col.workstation')}</dt>
        <dd>{row.workstationId ?? '—'}</dd>
        <dt>{t('audit.detail.sourceIp')}</dt>
        <dd>{row.sourceIp ?? '—'}</dd>
        <dt>{t('audit.detail.hash')}</dt>
        <dd>
          <code>{row.hash}</code>
        </dd>
      </dl>
      <h4>{t('audit.detail.details')}</h4>
      {/* Rendered as text: details hold user input (names, reasons) and must never become markup. */}
      <pre className="office-code">{JSON.stringify(row.details, null, 2)}</pre>
    </section>
  );
}
