import { Type, type Static } from 'typebox';

/** Valid (not cancelled) tickets of one event, per German local sales day and per price category. */
export const EventSalesStats = Type.Object({
  eventId: Type.String({ format: 'uuid' }),
  eventName: Type.String(),
  /** Days in ascending order; only days with sales appear. */
  days: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), tickets: Type.Integer({ minimum: 0 }), grossCents: Type.Integer() })),
  categories: Type.Array(
    Type.Object({
      categoryId: Type.String({ format: 'uuid' }),
      name: Type.String(),
      capacity: Type.Integer({ minimum: 0 }),
      tickets: Type.Integer({ minimum: 0 }),
      grossCents: Type.Integer(),
    }),
  ),
  totalTickets: Type.Integer({ minimum: 0 }),
  totalGrossCents: Type.Integer(),
});
export type EventSalesStats = Static<typeof EventSalesStats>;
