/**
 * Events for promoters: the own events, one open event with categories, variants, seat plan, status,
 * sales rights and quotas of outlets, and its sales figures for the charts. A factory over the admin API.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Static } from 'typebox';
import type { EventDetail, EventSummary, OutletDirectoryEntry, SalesRightView, VenueView } from '../../../shared/api/events.js';
import type { EventSalesStats } from '../../../shared/api/reports.js';
import type { ApiError } from '../../../shared/api-client/errors.js';
import { createAct } from '../../lib/store-action.js';
import { parseSeatDefinition, type SeatDefinitionError } from '../../../shared/domain/seat-definition.js';
import type { AdminApi } from './api.js';

export type EventsLocalError = 'NAME_REQUIRED' | 'PRICE_INVALID' | 'CAPACITY_INVALID' | 'DATE_INVALID' | 'VENUE_REQUIRED';
export type EventsFailure = { readonly code: EventsLocalError } | ApiError;

export interface EventsState {
  readonly events: readonly EventSummary[];
  readonly venues: readonly VenueView[];
  readonly selected: EventDetail | null;
  readonly outlets: readonly Static<typeof OutletDirectoryEntry>[];
  readonly rights: readonly SalesRightView[];
  readonly stats: EventSalesStats | null;
  readonly busy: boolean;
  readonly error: EventsFailure | null;
  /** Seat definition errors found before sending (the same parser as the server's). */
  readonly seatErrors: readonly SeatDefinitionError[];
  readonly notice: { readonly key: 'eventCreated' | 'categoryAdded' | 'variantAdded' | 'seatsAdded' | 'statusChanged' | 'rightSaved' | 'rightRemoved' | 'venueCreated'; readonly label: string } | null;

  load(): Promise<void>;
  open(eventId: string): Promise<void>;
  close(): void;
  createVenue(name: string, city: string): Promise<string | undefined>;
  createEvent(input: { venueId: string; name: string; startsAt: string }): Promise<boolean>;
  addCategory(input: { name: string; priceCents: number | undefined; seated: boolean; capacity: number | undefined }): Promise<boolean>;
  addVariant(categoryId: string, name: string, priceCents: number | undefined): Promise<boolean>;
  addSeats(definition: string): Promise<boolean>;
  setStatus(status: 'on_sale' | 'sales_stopped' | 'cancelled'): Promise<boolean>;
  saveRight(outletId: string, quotas: ReadonlyArray<{ categoryId: string; quota: number }>): Promise<boolean>;
  removeRight(outletId: string): Promise<boolean>;
}

export type EventsStore = StoreApi<EventsState>;

export function createEventsStore({ api }: { api: AdminApi }): EventsStore {
  return createStore<EventsState>()((set, get) => {
    const act = createAct<EventsState>(set, { error: null, notice: null }, (error) => ({ error }));
    const refuse = (code: EventsLocalError) => {
      set({ error: { code }, notice: null });
      return false;
    };
    const reopen = async () => {
      const id = get().selected?.id;
      if (id !== undefined) await get().open(id);
    };

    return {
      events: [],
      venues: [],
      selected: null,
      outlets: [],
      rights: [],
      stats: null,
      busy: false,
      error: null,
      seatErrors: [],
      notice: null,

      async load() {
        const [events, venues] = await Promise.all([api.events(), api.venues()]);
        if (!events.ok) set({ error: events.error });
        else if (!venues.ok) set({ error: venues.error });
        set({ ...(events.ok ? { events: events.value } : {}), ...(venues.ok ? { venues: venues.value } : {}) });
      },

      async open(eventId) {
        const [detail, outlets, rights, stats] = await Promise.all([api.event(eventId), api.outlets(eventId), api.salesRights(eventId), api.salesStats(eventId)]);
        if (!detail.ok) {
          set({ error: detail.error });
          return;
        }
        set({
          selected: detail.value,
          outlets: outlets.ok ? outlets.value : [],
          rights: rights.ok ? rights.value : [],
          stats: stats.ok ? stats.value : null,
          seatErrors: [],
        });
      },

      close() {
        set({ selected: null, outlets: [], rights: [], stats: null, seatErrors: [] });
      },

      async createVenue(name, city) {
        if (name.trim() === '') {
          refuse('NAME_REQUIRED');
          return undefined;
        }
        let id: string | undefined;
        await act(
          () => api.createVenue(name.trim(), city.trim()),
          (venue) => {
            id = venue.id;
            set({ venues: [...get().venues, venue], notice: { key: 'venueCreated', label: venue.name } });
          },
        );
        return id;
      },

      async createEvent({ venueId, name, startsAt }) {
        if (venueId === '') return refuse('VENUE_REQUIRED');
        if (name.trim() === '') return refuse('NAME_REQUIRED');
        const start = new Date(startsAt);
        if (Number.isNaN(start.getTime())) return refuse('DATE_INVALID');
        return act(
          () => api.createEvent({ venueId, name: name.trim(), startsAt: start.toISOString() }),
          async (event) => {
            set({ notice: { key: 'eventCreated', label: event.name } });
            await get().load();
            await get().open(event.id);
          },
        );
      },

      async addCategory({ name, priceCents, seated, capacity }) {
        const event = get().selected;
        if (event === null) return false;
        if (name.trim() === '') return refuse('NAME_REQUIRED');
        if (priceCents === undefined) return refuse('PRICE_INVALID');
        if (!seated && (capacity === undefined || !Number.isSafeInteger(capacity) || capacity < 0)) return refuse('CAPACITY_INVALID');
        return act(
          () => api.addCategory(event.id, { name: name.trim(), priceCents, ...(seated ? { seated: true } : { capacity: capacity ?? 0 }) }),
          async () => {
            set({ notice: { key: 'categoryAdded', label: name.trim() } });
            await reopen();
          },
        );
      },

      async addVariant(categoryId, name, priceCents) {
        const event = get().selected;
        if (event === null) return false;
        if (name.trim() === '') return refuse('NAME_REQUIRED');
        if (priceCents === undefined) return refuse('PRICE_INVALID');
        return act(
          () => api.addVariant(event.id, categoryId, { name: name.trim(), priceCents }),
          async () => {
            set({ notice: { key: 'variantAdded', label: name.trim() } });
            await reopen();
          },
        );
      },

      async addSeats(definition) {
        const event = get().selected;
        if (event === null) return false;
        const parsed = parseSeatDefinition(definition);
        if (!parsed.ok) {
          set({ seatErrors: parsed.errors, notice: null, error: null });
          return false;
        }
        set({ seatErrors: [] });
        return act(
          () => api.addSeats(event.id, definition),
          async (created) => {
            set({ notice: { key: 'seatsAdded', label: String(created.createdSeats) } });
            await reopen();
          },
        );
      },

      async setStatus(status) {
        const event = get().selected;
        if (event === null) return false;
        return act(
          () => api.setEventStatus(event.id, status),
          async (changed) => {
            set({ selected: { ...changed }, notice: { key: 'statusChanged', label: changed.name } });
            await get().load();
          },
        );
      },

      async saveRight(outletId, quotas) {
        const event = get().selected;
        if (event === null) return false;
        if (quotas.some((q) => !Number.isSafeInteger(q.quota) || q.quota < 0)) return refuse('CAPACITY_INVALID');
        return act(
          () => api.putSalesRight(event.id, outletId, { quotas: quotas.map((q) => ({ categoryId: q.categoryId, quota: q.quota })) }),
          async (right) => {
            set({ notice: { key: 'rightSaved', label: right.outletName } });
            await reopen();
          },
        );
      },

      async removeRight(outletId) {
        const event = get().selected;
        if (event === null) return false;
        const name = get().outlets.find((o) => o.id === outletId)?.name ?? '';
        return act(
          () => api.removeSalesRight(event.id, outletId),
          async () => {
            set({ notice: { key: 'rightRemoved', label: name } });
            await reopen();
          },
        );
      },
    };
  });
}
