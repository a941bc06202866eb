import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { BlockDetail, BlockView } from '../../../../shared/api/intrusion.js';
import { useServices } from '../../../app/services.js';
import { useI18n } from '../../../i18n/context.js';
import { DataTable, type Column } from '../../../lib/DataTable.js';
import { failureMessage, formatInstant } from '../../../lib/office-format.js';
import { useAltKeys } from '../../../lib/use-alt-keys.js';
import { intrusionApi } from '../api.js';
import { createIntrusionStore, type IntrusionStore } from '../store.js';

const SOURCE_ID = 'intrusion-source';

type StateKey = 'intrusion.state.active' | 'intrusion.state.lifted' | 'intrusion.state.ended';
function stateKey(block: BlockView): StateKey {
  if (block.active) return 'intrusion.state.active';
  return block.liftedAt === null ? 'intrusion.state.ended' : 'intrusion.state.lifted';
}

export function IntrusionScreen() {
  const { backend } = useServices();
  const store = useMemo(() => createIntrusionStore({ api: intrusionApi(backend) }), [backend]);
  return <IntrusionView store={store} />;
}

export function IntrusionView({ store }: { store: IntrusionStore }) {
  const { t } = useI18n();
  const rows = useStore(store, (s) => s.rows);
  const loading = useStore(store, (s) => s.loading);
  const error = useStore(store, (s) => s.error);
  const selectedId = useStore(store, (s) => s.selectedId);

  useEffect(() => {
    void store.getState().search();
  }, [store]);
  useAltKeys({ s: () => document.getElementById(SOURCE_ID)?.focus() });

  const columns = useMemo<Column<BlockView>[]>(
    () => [
      { key: 'source', label: t('intrusion.col.source'), value: (r) => r.source },
      { key: 'trigger', label: t('intrusion.col.trigger'), value: (r) => t(`intrusion.kind.${r.trigger}`) },
      { key: 'level', label: t('intrusion.col.level'), value: (r) => r.level, numeric: true },
      { key: 'blockedAt', label: t('intrusion.col.blockedAt'), value: (r) => r.blockedAt, render: (r) => formatInstant(r.blockedAt) },
      { key: 'blockedUntil', label: t('intrusion.col.blockedUntil'), value: (r) => r.blockedUntil, render: (r) => formatInstant(r.blockedUntil) },
      { key: 'state', label: t('intrusion.col.state'), value: (r) => t(stateKey(r)) },
    ],
    [t],
  );

  return (
    <div className="office-screen">
      <h2>{t('intrusion.title')}</h2>
      <Filters store={store} />
      {error === null ? null : <p role="alert">{failureMessage(t, error, 'intrusion')}</p>}
      <div className="office-split">
        <section className="office-split__main office-panel" aria-label={t('intrusion.list.caption')}>
          {loading ? <p role="status">{t('list.loading')}</p> : null}
          <DataTable caption={t('intrusion.list.caption')} rows={rows} columns={columns} rowKey={(r) => r.id} onOpen={(r) => void store.getState().open(r.id)} exportName="sperren.csv" activeKey={selectedId ?? undefined} />
        </section>
        <div className="office-split__side">{selectedId === null ? null : <Detail store={store} />}</div>
      </div>
    </div>
  );
}

function Filters({ store }: { store: IntrusionStore }) {
  const { t } = useI18n();
  const state = useStore(store, (s) => s.state);
  const source = useStore(store, (s) => s.source);
  const loading = useStore(store, (s) => s.loading);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store.getState().search();
  };
  return (
    <form className="office-panel office-form office-form--row" onSubmit={submit} aria-labelledby="intrusion-filter-heading">
      <h3 id="intrusion-filter-heading">{t('intrusion.filter.heading')}</h3>
      <label>
        {t('intrusion.filter.state')}
        <select value={state} onChange={(e) => store.getState().setFilter({ state: e.target.value === 'all' ? 'all' : 'active' })}>
          <option value="active">{t('intrusion.filter.state.active')}</option>
          <option value="all">{t('intrusion.filter.state.all')}</option>
        </select>
      </label>
      <label>
        {t('intrusion.filter.source')} <kbd>{t('intrusion.shortcut', { key: 'S' })}</kbd>
        <input id={SOURCE_ID} type="search" value={source} maxLength={64} onChange={(e) => store.getState().setFilter({ source: e.target.value })} />
      </label>
      <button type="submit" className="button button--primary" disabled={loading}>
        {t('intrusion.filter.submit')}
      </button>
    </form>
  );
}

function Detail({ store }: { store: IntrusionStore }) {
  const { t } = useI18n();
  const detail = useStore(store, (s) => s.detail);
  const loading = useStore(store, (s) => s.detailLoading);
  const error = useStore(store, (s) => s.detailError);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const blockId = detail?.block.id;
  useEffect(() => {
    if (blockId !== undefined) headingRef.current?.focus();
  }, [blockId]);

  return (
    <section className="office-panel" aria-labelledby="intrusion-detail-heading" aria-busy={loading}>
      {loading ? <p role="status">{t('intrusion.detail.loading')}</p> : null}
      {error === null ? null : <p role="alert">{failureMessage(t, error, 'intrusion')}</p>}
      {detail === null ? null : (
        <>
          <div className="office-detail__head">
            <h3 id="intrusion-detail-heading" tabIndex={-1} ref={headingRef}>
              {t('intrusion.detail.heading', { source: detail.block.source })}
            </h3>
            <button type="button" className="button" onClick={() => void store.getState().open(null)}>
              {t('intrusion.detail.close')}
            </button>
          </div>
          <Facts detail={detail} />
          <LiftPanel store={store} block={detail.block} />
          <Signals detail={detail} />
        </>
      )}
    </section>
  );
}

function Facts({ detail }: { detail: BlockDetail }) {
  const { t } = useI18n();
  const { block } = detail;
  return (
    <dl className="office-facts">
      <dt>{t('intrusion.col.state')}</dt>
      <dd>{t(stateKey(block))}</dd>
      <dt>{t('intrusion.col.trigger')}</dt>
      <dd>{t(`intrusion.kind.${block.trigger}`)}</dd>
      <dt>{t('intrusion.col.level')}</dt>
      <dd>{block.level}</dd>
      <dt>{t('intrusion.col.blockedAt')}</dt>
      <dd>{formatInstant(block.blockedAt)}</dd>
      <dt>{t('intrusion.col.blockedUntil')}</dt>
      <dd>{formatInstant(block.blockedUntil)}</dd>
      <dt>{t('intrusion.detail.window')}</dt>
      <dd>{t('intrusion.detail.windowValue', { threshold: block.signals.threshold, seconds: block.signals.windowSeconds })}</dd>
      <dt>{t('intrusion.detail.counts')}</dt>
      <dd>
        {Object.entries(block.signals.counts)
          .map(([kind, count]) => `${kind}: ${count}`)
          .join(', ')}
      </dd>
      {block.liftedAt === null ? null : (
        <>
          <dt>{t('intrusion.detail.liftedAt')}</dt>
          <dd>{formatInstant(block.liftedAt)}</dd>
          <dt>{t('intrusion.detail.liftReason')}</dt>
          <dd>{block.liftReason ?? '—'}</dd>
        </>
      )}
    </dl>
  );
}

/** Signals as text in a table: samples are attacker input and must never become markup. */
function Signals({ detail }: { detail: BlockDetail }) {
  const { t } = useI18n();
  return (
    <>
      <h4>{t('intrusion.signals.heading')}</h4>
      {detail.recentSignals.length === 0 ? (
        <p>{t('intrusion.signals.none')}</p>
      ) : (
        <table className="data-table__table">
          <caption className="visually-hidden">{t('intrusion.signals.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('intrusion.signals.at')}</th>
              <th scope="col">{t('intrusion.signals.kind')}</th>
              <th scope="col">{t('intrusion.signals.sample')}</th>
            </tr>
          </thead>
          <tbody>
            {detail.recentSignals.map((signal, index) => (
              <tr key={`${signal.at}-${index}`}>
                <td>{formatInstant(signal.at)}</td>
                <td>{t(`intrusion.kind.${signal.kind}`)}</td>
                <td>
                  <code>{signal.detail}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** Lifting: a button opens an inline confirmation with the required reason; Esc or Cancel closes it. */
function LiftPanel({ store, block }: { store: IntrusionStore; block: BlockView }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  const liftError = useStore(store, (s) => s.liftError);
  const liftedId = useStore(store, (s) => s.liftedId);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const openRef = useRef<HTMLButtonElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (confirming) reasonRef.current?.focus();
  }, [confirming]);
  useEffect(() => {
    if (liftedId === block.id) doneRef.current?.focus();
  }, [liftedId, block.id]);

  const cancel = () => {
    setConfirming(false);
    setReason('');
    // The button is back after this render.
    queueMicrotask(() => openRef.current?.focus());
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await store.getState().lift(reason)) {
      setConfirming(false);
      setReason('');
    } else {
      reasonRef.current?.focus();
    }
  };

  if (liftedId === block.id) {
    return (
      <p role="status" tabIndex={-1} ref={doneRef}>
        <span aria-hidden="true">✔ </span>
        {t('intrusion.lift.done')}
      </p>
    );
  }
  if (!block.active) return null;
  if (!confirming) {
    return (
      <button type="button" className="button" ref={openRef} onClick={() => setConfirming(true)}>
        {t('intrusion.lift.open')}
      </button>
    );
  }
  return (
    <form
      className="office-form"
      aria-labelledby="intrusion-lift-text"
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          cancel();
        }
      }}
    >
      <p id="intrusion-lift-text">{t('intrusion.lift.confirmText', { source: block.source })}</p>
      <label>
        {t('intrusion.lift.reason')}
        <textarea ref={reasonRef} value={reason} required minLength={3} maxLength={500} rows={3} aria-invalid={liftError?.code === 'REASON_TOO_SHORT'} onChange={(e) => setReason(e.target.value)} />
      </label>
      {liftError === null ? null : <p role="alert">{failureMessage(t, liftError, 'intrusion')}</p>}
      {busy ? <p role="status">{t('intrusion.lift.busy')}</p> : null}
      <div className="office-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('intrusion.lift.confirm')}
        </button>
        <button type="button" className="button" onClick={cancel}>
          {t('intrusion.lift.cancel')} <kbd>Esc</kbd>
        </button>
      </div>
    </form>
  );
}
