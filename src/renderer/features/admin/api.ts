/** The admin screen's requests over the backend port, typed by the shared contract. */
import { Type } from 'typebox';
import { CreateSeatsResponse, EventDetail, EventSummary, OutletDirectoryEntry, SalesRightView, VenueView, type CreateEventRequest, type PutSalesRightRequest } from '../../../shared/api/events.js';
import { BillingProfileResponse, BillingProfileView, type BillingProfileInput } from '../../../shared/api/invoicing.js';
import { EventSalesStats } from '../../../shared/api/reports.js';
import { CreateUserResponse, InitialPasswordResponse, SessionView, UserView, type CreateUserRequest } from '../../../shared/api/users.js';
import { WorkstationView } from '../../../shared/api/workstations.js';
import type { Permission } from '../../../shared/domain/permissions.js';
import type { Backend } from '../../lib/backend.js';

export type AdminBackend = Pick<Backend, 'request'>;

const seg = (id: string) => encodeURIComponent(id);

export function adminApi(backend: AdminBackend) {
  const user = (id: string) => `/api/v1/users/${seg(id)}`;
  const event = (id: string) => `/api/v1/events/${seg(id)}`;
  return {
    users: () => backend.request({ method: 'GET', path: '/api/v1/users', response: Type.Array(UserView) }),
    createUser: (body: Omit<CreateUserRequest, 'permissions'> & { permissions: readonly Permission[] }) => backend.request({ method: 'POST', path: '/api/v1/users', body, response: CreateUserResponse }),
    setPermissions: (id: string, permissions: readonly Permission[]) => backend.request({ method: 'PUT', path: `${user(id)}/permissions`, body: { permissions }, response: UserView }),
    setDisabled: (id: string, disabled: boolean) => backend.request({ method: 'POST', path: `${user(id)}/${disabled ? 'disable' : 'enable'}`, response: UserView }),
    unlock: (id: string) => backend.request({ method: 'POST', path: `${user(id)}/unlock`, response: null }),
    resetPassword: (id: string) => backend.request({ method: 'POST', path: `${user(id)}/reset-password`, response: InitialPasswordResponse }),
    sessions: () => backend.request({ method: 'GET', path: '/api/v1/sessions', response: Type.Array(SessionView) }),
    endSession: (id: string) => backend.request({ method: 'POST', path: `/api/v1/sessions/${seg(id)}/end`, response: null }),
    workstations: () => backend.request({ method: 'GET', path: '/api/v1/workstations', response: Type.Array(WorkstationView) }),
    revokeWorkstation: (id: string, reason: string) => backend.request({ method: 'POST', path: `/api/v1/workstations/${seg(id)}/revoke`, body: { reason }, response: null }),
    venues: () => backend.request({ method: 'GET', path: '/api/v1/venues', response: Type.Array(VenueView) }),
    createVenue: (name: string, city: string) => backend.request({ method: 'POST', path: '/api/v1/venues', body: { name, city }, response: VenueView }),
    events: () => backend.request({ method: 'GET', path: '/api/v1/events', query: { includePast: true, limit: 50 }, response: Type.Array(EventSummary) }),
    event: (id: string) => backend.request({ method: 'GET', path: event(id), response: EventDetail }),
    createEvent: (body: CreateEventRequest) => backend.request({ method: 'POST', path: '/api/v1/events', body, response: EventDetail }),
    setEventStatus: (id: string, status: 'on_sale' | 'sales_stopped' | 'cancelled') => backend.request({ method: 'POST', path: `${event(id)}/status`, body: { status }, response: EventDetail }),
    addCategory: (id: string, body: { name: string; priceCents: number; seated?: boolean; capacity?: number }) =>
      backend.request({ method: 'POST', path: `${event(id)}/categories`, body, response: Type.Object({ id: Type.String() }) }),
    addVariant: (id: string, categoryId: string, body: { name: string; priceCents: number }) =>
      backend.request({ method: 'POST', path: `${event(id)}/categories/${seg(categoryId)}/variants`, body, response: Type.Object({ id: Type.String() }) }),
    addSeats: (id: string, definition: string) => backend.request({ method: 'POST', path: `${event(id)}/seats`, body: { definition }, response: CreateSeatsResponse }),
    outlets: (id: string) => backend.request({ method: 'GET', path: `${event(id)}/outlets`, response: Type.Array(OutletDirectoryEntry) }),
    salesRights: (id: string) => backend.request({ method: 'GET', path: `${event(id)}/sales-rights`, response: Type.Array(SalesRightView) }),
    putSalesRight: (id: string, outletId: string, body: PutSalesRightRequest) =>
      backend.request({ method: 'PUT', path: `${event(id)}/sales-rights/${seg(outletId)}`, body, response: SalesRightView }),
    removeSalesRight: (id: string, outletId: string) => backend.request({ method: 'DELETE', path: `${event(id)}/sales-rights/${seg(outletId)}`, response: null }),
    billingProfile: () => backend.request({ method: 'GET', path: '/api/v1/billing-profile', response: BillingProfileResponse }),
    saveBillingProfile: (body: BillingProfileInput) => backend.request({ method: 'PUT', path: '/api/v1/billing-profile', body, response: BillingProfileView }),
    salesStats: (id: string) => backend.request({ method: 'GET', path: `${event(id)}/sales-stats`, response: EventSalesStats }),
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
