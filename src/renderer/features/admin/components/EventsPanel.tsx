import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import type { CategoryView, EventDetail, EventSummary } from '../../../../shared/api/events.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import { DataTable, type Column } from '../../../lib/DataTable.js';
import { parseEuroInput } from '../../../lib/list-tools.js';
import { formatInstant } from '../../../lib/office-format.js';
import type { EventsStore } from '../events-store.js';
import { SalesCharts } from './SalesCharts.js';

/** A promoter's events: create, price categories and variants, seat plan, status, outlets' sales rights, sales charts. */
export function EventsPanel({ store }: { store: EventsStore }) {
  const { t } = useI18n();
  const events = useStore(store, (s) => s.events);
  const selected = useStore(store, (s) => s.selected);
  useEffect(() => {
    void store.getState().load();
  }, [store]);
  const columns = useMemo<Column<EventSummary>[]>(
    () => [
      { key: 'name', label: t('admin.events.name'), value: (e) => e.name },
      { key: 'startsAt', label: t('admin.events.startsAt'), value: (e) => e.startsAt, render: (e) => formatInstant(e.startsAt) },
      { key: 'venue', label: t('admin.events.venue'), value: (e) => `${e.venue.name}, ${e.venue.city}` },
      { key: 'status', label: t('admin.events.status'), value: (e) => t(`admin.events.status.${e.effectiveStatus}`) },
    ],
    [t],
  );
  return (
    // Stacked, not side by side: the open event's tables and charts need the full width.
    <div>
      <div className="office-split">
        <section className="office-split__main office-panel" aria-label={t('admin.events.caption')}>
          <DataTable
            caption={t('admin.events.caption')}
            rows={events}
            columns={columns}
            rowKey={(e) => e.id}
            onOpen={(e) => void store.getState().open(e.id)}
            exportName="veranstaltungen.csv"
            initialSort={{ key: 'startsAt', direction: 'asc' }}
            activeKey={selected?.id}
          />
        </section>
        <div className="office-split__side">
          <CreateEvent store={store} />
        </div>
      </div>
      {selected === null ? null : <EventEditor key={selected.id} store={store} event={selected} />}
    </div>
  );
}

function CreateEvent({ store }: { store: EventsStore }) {
  const { t } = useI18n();
  const venues = useStore(store, (s) => s.venues);
  const busy = useStore(store, (s) => s.busy);
  const [venueId, setVenueId] = useState('');
  const [name, setName] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [venueName, setVenueName] = useState('');
  const [venueCity, setVenueCity] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void store
      .getState()
      .createEvent({ venueId, name, startsAt })
      .then((done) => {
        if (done) {
          setName('');
          setStartsAt('');
        }
      });
  };
  const addVenue = () => {
    void store
      .getState()
      .createVenue(venueName, venueCity)
      .then((id) => {
        if (id !== undefined) {
          setVenueId(id);
          setVenueName('');
          setVenueCity('');
        }
      });
  };
  return (
    <section className="office-panel" aria-labelledby="create-event-heading">
      <h3 id="create-event-heading">{t('admin.events.create')}</h3>
      <div className="office-form office-form--row">
        <label>
          {t('admin.events.venueNew')}
          <input type="text" value={venueName} maxLength={200} onChange={(e) => setVenueName(e.target.value)} />
        </label>
        <label>
          {t('admin.events.venueCity')}
          <input type="text" value={venueCity} maxLength={200} onChange={(e) => setVenueCity(e.target.value)} />
        </label>
        <button type="button" className="button" disabled={busy} onClick={addVenue}>
          {t('admin.events.venueSubmit')}
        </button>
      </div>
      <form className="office-form office-form--row" onSubmit={submit}>
        <label>
          {t('admin.events.venue')}
          <select value={venueId} required onChange={(e) => setVenueId(e.target.value)}>
            <option value="">{t('admin.ws.choose')}</option>
            {venues.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}, {v.city}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.events.name')}
          <input type="text" value={name} required maxLength={200} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('admin.events.startsAt')}
          <input type="datetime-local" value={startsAt} required onChange={(e) => setStartsAt(e.target.value)} />
        </label>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('admin.events.createSubmit')}
        </button>
      </form>
    </section>
  );
}

function EventEditor({ store, event }: { store: EventsStore; event: EventDetail }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  const stats = useStore(store, (s) => s.stats);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  const status = event.status;
  return (
    <section className="office-panel" aria-labelledby="event-heading">
      <div className="office-detail__head">
        <h3 id="event-heading" tabIndex={-1} ref={headingRef}>
          {t('admin.event.heading', { name: event.name })}
        </h3>
        <button type="button" className="button" onClick={() => store.getState().close()}>
          {t('admin.events.close')}
        </button>
      </div>
      <p>{t('admin.event.facts', { venue: `${event.venue.name}, ${event.venue.city}`, startsAt: formatInstant(event.startsAt), status: t(`admin.events.status.${event.effectiveStatus}`) })}</p>
      <div className="office-actions">
        {status === 'draft' ? (
          <button type="button" className="button button--primary" disabled={busy} onClick={() => void store.getState().setStatus('on_sale')}>
            {t('admin.event.publish')}
          </button>
        ) : null}
        {status === 'on_sale' ? (
          <button type="button" className="button" disabled={busy} onClick={() => void store.getState().setStatus('sales_stopped')}>
            {t('admin.event.stop')}
          </button>
        ) : null}
        {status === 'sales_stopped' ? (
          <button type="button" className="button" disabled={busy} onClick={() => void store.getState().setStatus('on_sale')}>
            {t('admin.event.resume')}
          </button>
        ) : null}
        {status !== 'cancelled' ? (
          <button type="button" className="button" disabled={busy} onClick={() => void store.getState().setStatus('cancelled')}>
            {t('admin.event.cancel')}
          </button>
        ) : null}
      </div>
      <Categories store={store} event={event} />
      <SeatPlan store={store} />
      <SalesRights store={store} event={event} />
      {stats === null ? null : <SalesCharts stats={stats} />}
    </section>
  );
}

function Categories({ store, event }: { store: EventsStore; event: EventDetail }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [capacity, setCapacity] = useState('');
  const [seated, setSeated] = useState(false);
  const [variantCategory, setVariantCategory] = useState('');
  const [variantName, setVariantName] = useState('');
  const [variantPrice, setVariantPrice] = useState('');
  const categoryColumns = useMemo<Column<CategoryView>[]>(
    () => [
      { key: 'name', label: t('admin.cat.name'), value: (c) => c.name },
      { key: 'price', label: t('admin.cat.price'), value: (c) => c.priceCents, render: (c) => formatEuro(c.priceCents), numeric: true },
      { key: 'capacity', label: t('admin.cat.capacity'), value: (c) => c.capacity, numeric: true },
      { key: 'sold', label: t('admin.cat.sold'), value: (c) => c.sold, numeric: true },
      { key: 'remaining', label: t('admin.cat.remaining'), value: (c) => c.remaining, numeric: true },
      { key: 'variants', label: t('admin.cat.variants'), value: (c) => c.variants.map((v) => `${v.name} ${formatEuro(v.priceCents)}`).join(', ') },
    ],
    [t],
  );
  const addCategory = (e: FormEvent) => {
    e.preventDefault();
    const cap = capacity.trim() === '' ? undefined : Number(capacity);
    void store
      .getState()
      .addCategory({ name, priceCents: parseEuroInput(price), seated, capacity: cap })
      .then((done) => {
        if (done) {
          setName('');
          setPrice('');
          setCapacity('');
        }
      });
  };
  const addVariant = (e: FormEvent) => {
    e.preventDefault();
    void store
      .getState()
      .addVariant(variantCategory, variantName, parseEuroInput(variantPrice))
      .then((done) => {
        if (done) {
          setVariantName('');
          setVariantPrice('');
        }
      });
  };
  return (
    <div>
      <DataTable caption={t('admin.cat.caption')} rows={event.categories} columns={categoryColumns} rowKey={(c) => c.id} />
      {event.status === 'draft' ? (
        <form className="office-form office-form--row" onSubmit={addCategory}>
          <label>
            {t('admin.cat.name')}
            <input type="text" value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            {t('admin.cat.price')}
            <input type="text" inputMode="decimal" value={price} required onChange={(e) => setPrice(e.target.value)} />
          </label>
          <label>
            <input type="checkbox" checked={seated} onChange={(e) => setSeated(e.target.checked)} /> {t('admin.cat.seated')}
          </label>
          {seated ? null : (
            <label>
              {t('admin.cat.capacity')}
              <input type="number" min={0} step={1} value={capacity} required onChange={(e) => setCapacity(e.target.value)} />
            </label>
          )}
          <button type="submit" className="button" disabled={busy}>
            {t('admin.cat.add')}
          </button>
        </form>
      ) : null}
      {event.status === 'draft' && event.categories.length > 0 ? (
        <form className="office-form office-form--row" onSubmit={addVariant}>
          <label>
            {t('admin.cat.variantFor')}
            <select value={variantCategory} required onChange={(e) => setVariantCategory(e.target.value)}>
              <option value="">{t('admin.ws.choose')}</option>
              {event.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('admin.cat.variantName')}
            <input type="text" value={variantName} required maxLength={100} onChange={(e) => setVariantName(e.target.value)} />
          </label>
          <label>
            {t('admin.cat.price')}
            <input type="text" inputMode="decimal" value={variantPrice} required onChange={(e) => setVariantPrice(e.target.value)} />
          </label>
          <button type="submit" className="button" disabled={busy}>
            {t('admin.cat.variantAdd')}
          </button>
        </form>
      ) : null}
    </div>
  );
}

function SeatPlan({ store }: { store: EventsStore }) {
  const { t } = useI18n();
  const busy = useStore(store, (s) => s.busy);
  const errors = useStore(store, (s) => s.seatErrors);
  const [definition, setDefinition] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void store
      .getState()
      .addSeats(definition)
      .then((done) => {
        if (done) setDefinition('');
      });
  };
  return (
    <form className="office-form" onSubmit={submit} aria-labelledby="seats-heading">
      <h4 id="seats-heading">{t('admin.seats.heading')}</h4>
      <p className="office-hint">{t('admin.seats.explain')}</p>
      <label>
        {t('admin.seats.definition')}
        <textarea rows={5} value={definition} aria-invalid={errors.length > 0 ? true : undefined} onChange={(e) => setDefinition(e.target.value)} />
      </label>
      <label>
        {t('admin.seats.file')}
        <input
          type="file"
          accept=".txt,text/plain"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file !== undefined) void file.text().then(setDefinition);
          }}
        />
      </label>
      {errors.length === 0 ? null : (
        <ul role="alert" className="office-error">
          {errors.slice(0, 10).map((error) => (
            <li key={`${error.line}-${error.code}`}>{t('admin.seats.error', { line: error.line, text: t(`admin.seats.code.${error.code}`) })}</li>
          ))}
        </ul>
      )}
      <button type="submit" className="button" disabled={busy || definition.trim() === ''}>
        {t('admin.seats.submit')}
      </button>
    </form>
  );
}

function SalesRights({ store, event }: { store: EventsStore; event: EventDetail }) {
  const { t } = useI18n();
  const outlets = useStore(store, (s) => s.outlets);
  const rights = useStore(store, (s) => s.rights);
  const busy = useStore(store, (s) => s.busy);
  const [quotas, setQuotas] = useState<Readonly<Record<string, string>>>(() => {
    const initial: Record<string, string> = {};
    for (const right of rights) for (const c of right.categories) if (c.quota !== null) initial[`${right.outletId}/${c.categoryId}`] = String(c.quota);
    return initial;
  });
  const save = (outletId: string) => {
    const list = event.categories.flatMap((c) => {
      const text = quotas[`${outletId}/${c.id}`]?.trim() ?? '';
      return text === '' ? [] : [{ categoryId: c.id, quota: Number(text) }];
    });
    void store.getState().saveRight(outletId, list);
  };
  return (
    <div className="office-scroll">
      <table className="office-lines">
        <caption>{t('admin.rights.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.rights.outlet')}</th>
            <th scope="col">{t('admin.rights.granted')}</th>
            {event.categories.map((c) => (
              <th scope="col" key={c.id}>
                {t('admin.rights.quota', { category: c.name })}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">{t('admin.rights.grant')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {outlets.map((o) => {
            const right = rights.find((r) => r.outletId === o.id);
            return (
              <tr key={o.id}>
                <th scope="row">{o.name}</th>
                <td>{o.granted ? t('admin.rights.yes') : t('admin.rights.no')}</td>
                {event.categories.map((c) => {
                  const sold = right?.categories.find((rc) => rc.categoryId === c.id)?.sold ?? 0;
                  return (
                    <td key={c.id}>
                      <input
                        type="number"
                        min={0}
                        step={1}
                        placeholder={t('admin.rights.quotaNone')}
                        aria-label={`${o.name}: ${t('admin.rights.quota', { category: c.name })}`}
                        value={quotas[`${o.id}/${c.id}`] ?? ''}
                        onChange={(e) => setQuotas({ ...quotas, [`${o.id}/${c.id}`]: e.target.value })}
                      />
                      {right === undefined ? null : <span className="office-hint"> {t('admin.rights.soldOf', { sold })}</span>}
                    </td>
                  );
                })}
                <td className="office-actions">
                  <button type="button" className="button" disabled={busy} onClick={() => save(o.id)}>
                    {t('admin.rights.grant')}
                  </button>
                  {o.granted ? (
                    <button type="button" className="button" disabled={busy} onClick={() => void store.getState().removeRight(o.id)}>
                      {t('admin.rights.revoke')}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
