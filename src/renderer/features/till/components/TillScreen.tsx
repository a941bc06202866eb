/**
 * The till: open with a float, running totals on request (X report), the blind closing count with a
 * reason for a difference, and the numbered closing reports (Z). Keyboard: Enter submits the step in
 * front of the clerk, Alt+X shows the interim report, Alt+Z starts the closing, Esc cancels it.
 */
import { useEffect, useId, useRef, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { useStore } from 'zustand';
import type { TillClosingSummary } from '../../../../shared/api/till.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import { ErrorNotice } from '../../../lib/ErrorNotice.js';
import { useAltKeys } from '../../../lib/use-alt-keys.js';
import type { TillStore } from '../store.js';
import { ClosingsList } from './ClosingsList.js';
import { TillTotals } from './TillTotals.js';
import '../../floor-forms.css';

export interface TillScreenProps {
  readonly store: TillStore;
  readonly formatDateTime: (iso: string) => string;
  /** Opens a closing's PDF; undefined where documents are not downloaded. */
  readonly onPdf: ((closing: TillClosingSummary) => void) | undefined;
}

function InputError({ store }: { store: TillStore }) {
  const { t } = useI18n();
  const error = useStore(store, (s) => s.error);
  if (error === null) return null;
  if (typeof error === 'string')
    return (
      <p className="floor-error" role="alert">
        {t(`till.error.${error}`)}
      </p>
    );
  return <ErrorNotice error={error} />;
}

interface ClosingStepProps {
  readonly store: TillStore;
  readonly heading: string;
  readonly note: string;
  readonly label: string;
  readonly submitText: string;
  readonly value: string;
  readonly onChange: (text: string) => void;
  readonly onSubmit: () => Promise<void>;
  readonly invalid: boolean;
  readonly input: { readonly inputMode?: 'decimal'; readonly maxLength?: number };
  readonly firstField: RefObject<HTMLInputElement | null>;
}

/** One step of the closing (count, then a reason if needed): one field, Enter submits, Esc cancels. */
function ClosingStep({ store, heading, note, label, submitText, value, onChange, onSubmit, invalid, input, firstField }: ClosingStepProps) {
  const { t } = useI18n();
  const id = useId();
  const busy = useStore(store, (s) => s.busy);
  return (
    <form
      className="floor-panel till-step"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        void onSubmit();
      }}
      onKeyDown={(event: KeyboardEvent) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        store.getState().cancelClosing();
      }}
      aria-labelledby={`${id}-heading`}
    >
      <h2 id={`${id}-heading`}>{heading}</h2>
      <p>{note}</p>
      <div className="floor-field">
        <label className="floor-field__label" htmlFor={`${id}-input`}>
          {label}
        </label>
        <input id={`${id}-input`} ref={firstField} className="floor-field__input" autoComplete="off" {...input} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid} />
      </div>
      <InputError store={store} />
      <div className="till-actions">
        <button type="submit" className="button floor-button--primary" disabled={busy}>
          {submitText}
        </button>
        <button type="button" className="button" onClick={() => store.getState().cancelClosing()}>
          {t('till.cancel')}
        </button>
      </div>
    </form>
  );
}

export function TillScreen({ store, formatDateTime, onPdf }: TillScreenProps) {
  const { t } = useI18n();
  const s = useStore(store);
  const id = useId();
  const firstField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void store.getState().load();
  }, [store]);
  useEffect(() => {
    firstField.current?.focus();
  }, [s.phase]);
  useAltKeys({
    x: () => void (s.phase === 'open' ? store.getState().showInterim() : undefined),
    z: () => store.getState().startClosing(),
  });

  const submit = (action: () => Promise<void>) => (event: FormEvent) => {
    event.preventDefault();
    void action();
  };
  return (
    <div className="till-screen">
      {s.phase === 'loading' && <p role="status">{t('till.loading')}</p>}

      {s.phase === 'closed' && (
        <form className="floor-panel till-step" onSubmit={submit(() => store.getState().openTill())} aria-labelledby={`${id}-open`}>
          <h2 id={`${id}-open`}>{t('till.closed.heading')}</h2>
          <p>{t('till.closed.note')}</p>
          <div className="floor-field">
            <label className="floor-field__label" htmlFor={`${id}-float`}>
              {t('till.float')}
            </label>
            <input
              id={`${id}-float`}
              ref={firstField}
              className="floor-field__input"
              inputMode="decimal"
              autoComplete="off"
              value={s.floatText}
              onChange={(e) => store.getState().setFloat(e.target.value)}
              aria-describedby={`${id}-float-hint`}
              aria-invalid={s.error === 'AMOUNT_INVALID'}
            />
            <span id={`${id}-float-hint`} className="floor-field__hint">
              {t(s.suggestedFloatCents === null ? 'till.float.hintEmpty' : 'till.float.hintSuggested')}
            </span>
          </div>
          <InputError store={store} />
          <button type="submit" className="button floor-button--primary" disabled={s.busy}>
            {t('till.open')}
          </button>
        </form>
      )}

      {s.phase === 'open' && s.interim !== null && (
        <section className="floor-panel till-step" aria-labelledby={`${id}-state`}>
          <h2 id={`${id}-state`}>{t('till.open.heading')}</h2>
          <p>{t('till.open.since', { time: formatDateTime(s.interim.openedAt), user: s.interim.user.displayName, workstation: s.interim.workstation.name })}</p>
          <div className="till-actions">
            {s.interimShown ? (
              <button type="button" className="button" onClick={() => store.getState().hideInterim()}>
                {t('till.interim.hide')}
              </button>
            ) : (
              <button type="button" className="button" onClick={() => void store.getState().showInterim()} disabled={s.busy}>
                {t('till.interim')}
              </button>
            )}
            <button type="button" className="button floor-button--primary" onClick={() => store.getState().startClosing()}>
              {t('till.close')}
            </button>
          </div>
          {s.interimShown && <TillTotals totals={s.interim.totals} caption={t('till.interim.heading', { time: formatDateTime(s.interim.createdAt) })} />}
          <InputError store={store} />
        </section>
      )}

      {s.phase === 'counting' && (
        <ClosingStep
          store={store}
          heading={t('till.count.heading')}
          note={t('till.count.note')}
          label={t('till.count.label')}
          submitText={t('till.count.submit')}
          value={s.countText}
          onChange={(text) => store.getState().setCount(text)}
          onSubmit={() => store.getState().submitCount()}
          invalid={s.error === 'AMOUNT_INVALID'}
          input={{ inputMode: 'decimal' }}
          firstField={firstField}
        />
      )}

      {s.phase === 'reason' && (
        <ClosingStep
          store={store}
          heading={t('till.reason.heading')}
          note={t('till.reason.note', { counted: formatEuro(s.countedCents ?? 0) })}
          label={t('till.reason.label')}
          submitText={t('till.reason.submit')}
          value={s.reasonText}
          onChange={(text) => store.getState().setReason(text)}
          onSubmit={() => store.getState().submitReason()}
          invalid={s.error === 'REASON_TOO_SHORT'}
          input={{ maxLength: 500 }}
          firstField={firstField}
        />
      )}

      {s.phase === 'done' && s.closing !== null && s.closing.closing !== null && (
        <section className="floor-panel till-step" aria-labelledby={`${id}-done`} data-testid="till-closing">
          <h2 id={`${id}-done`}>{t('till.done.heading', { label: s.closing.closing.label })}</h2>
          <dl className="till-result">
            <dt>{t('till.done.expected')}</dt>
            <dd>{formatEuro(s.closing.totals.expectedCashCents)}</dd>
            <dt>{t('till.done.counted')}</dt>
            <dd>{formatEuro(s.closing.closing.countedCashCents)}</dd>
            <dt>{t('till.done.difference')}</dt>
            <dd data-testid="till-difference">
              {formatEuro(s.closing.closing.differenceCents)} (
              {t(s.closing.closing.differenceCents === 0 ? 'till.done.even' : s.closing.closing.differenceCents > 0 ? 'till.done.surplus' : 'till.done.shortage')})
            </dd>
            {s.closing.closing.differenceReason !== null && (
              <>
                <dt>{t('till.done.reason')}</dt>
                <dd>{s.closing.closing.differenceReason}</dd>
              </>
            )}
          </dl>
          <TillTotals totals={s.closing.totals} caption={t('till.done.totals')} />
          <button type="button" className="button floor-button--primary" onClick={() => store.getState().finish()}>
            {t('till.done.next')}
          </button>
        </section>
      )}

      {s.phase !== 'counting' && s.phase !== 'reason' && (
        <>
          <ClosingsList closings={s.closings} formatDateTime={formatDateTime} onPdf={onPdf} />
          {onPdf === undefined && <p className="floor-field__hint">{t('till.pdf.desktopOnly')}</p>}
        </>
      )}
    </div>
  );
}
