import { Type, type Static } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const Quantity = Type.Integer({ minimum: 1, maximum: 1000 });

export const OrderItem = Type.Object({ categoryId: Uuid, quantity: Quantity, variantId: Type.Optional(Uuid) }, { additionalProperties: false });
export const SeatPick = Type.Object({ seatId: Uuid, variantId: Type.Optional(Uuid) }, { additionalProperties: false });

export const CashPayment = Type.Object({ method: Type.Literal('cash'), givenCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }) }, { additionalProperties: false });
export const CardPayment = Type.Object({ method: Type.Literal('card'), reference: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export const InvoicePayment = Type.Object({ method: Type.Literal('invoice') }, { additionalProperties: false });

export const BusinessCustomer = Type.Object(
  {
    company: Type.String({ minLength: 1, maxLength: 200 }),
    contactName: Type.Optional(Type.String({ maxLength: 200 })),
    street: Type.String({ minLength: 1, maxLength: 200 }),
    postalCode: Type.String({ minLength: 1, maxLength: 20 }),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
    vatId: Type.Optional(Type.String({ maxLength: 30 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
  },
  { additionalProperties: false },
);

/**
 * A sale. Prices are never sent: the server prices every ticket from the category or variant.
 * `items` are general-admission quantities, `seats` concrete seats, `bestAvailable` n seats of a seated
 * category chosen by the server (adjacent in one row where possible).
 */
export const CreateOrderRequest = Type.Object(
  {
    eventId: Uuid,
    channel: Type.Union([Type.Literal('counter'), Type.Literal('business')]),
    items: Type.Optional(Type.Array(OrderItem, { maxItems: 50 })),
    seats: Type.Optional(Type.Array(SeatPick, { maxItems: 200 })),
    bestAvailable: Type.Optional(Type.Array(OrderItem, { maxItems: 20 })),
    holdId: Type.Optional(Uuid),
    customerName: Type.Optional(Type.String({ maxLength: 200 })),
    businessCustomer: Type.Optional(BusinessCustomer),
    payment: Type.Union([CashPayment, CardPayment, InvoicePayment]),
  },
  { additionalProperties: false },
);
export type CreateOrderRequest = Static<typeof CreateOrderRequest>;

export const TicketView = Type.Object({
  id: Uuid,
  categoryId: Uuid,
  categoryName: Type.String(),
  variantId: Type.Union([Uuid, Type.Null()]),
  seat: Type.Union([Type.Object({ id: Uuid, block: Type.String(), row: Type.String(), number: Type.Integer() }), Type.Null()]),
  priceCents: Type.Integer(),
  vatRateBp: Type.Integer(),
  status: Type.Union([Type.Literal('valid'), Type.Literal('cancelled')]),
});

export const PaymentView = Type.Object({
  id: Uuid,
  method: Type.String(),
  amountCents: Type.Integer(),
  givenCents: Type.Union([Type.Integer(), Type.Null()]),
  changeCents: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export const OrderView = Type.Object({
  id: Uuid,
  orderNumber: Type.Integer(),
  eventId: Uuid,
  channel: Type.String(),
  status: Type.Union([Type.Literal('paid'), Type.Literal('unpaid'), Type.Literal('cancelled')]),
  customerName: Type.String(),
  totalCents: Type.Integer(),
  paidAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  tickets: Type.Array(TicketView),
  payments: Type.Array(PaymentView),
});
export type OrderView = Static<typeof OrderView>;

export const OrderIdParams = Type.Object({ orderId: Uuid }, { additionalProperties: false });

export const CancelOrderRequest = Type.Object(
  {
    /** Without ticketIds the whole order is cancelled. */
    ticketIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true })),
    reason: Type.String({ minLength: 3, maxLength: 500 }),
    refund: Type.Optional(Type.Union([Type.Object({ method: Type.Literal('cash') }, { additionalProperties: false }), CardPayment])),
  },
  { additionalProperties: false },
);
export type CancelOrderRequest = Static<typeof CancelOrderRequest>;

export const OrderSearchQuery = Type.Object(
  {
    number: Type.Optional(Type.Integer({ minimum: 1 })),
    customer: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** A ticket's barcode, current or voided (a reprinted or cancelled ticket's old code finds its order too). */
    barcode: Type.Optional(Type.String({ pattern: '^[0-9]{1,40}$' })),
    eventId: Type.Optional(Uuid),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);

export const OrderSummary = Type.Object({
  id: Uuid,
  orderNumber: Type.Integer(),
  eventId: Uuid,
  status: Type.String(),
  customerName: Type.String(),
  totalCents: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const CreateHoldRequest = Type.Object(
  {
    eventId: Uuid,
    seats: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 200, uniqueItems: true })),
    bestAvailable: Type.Optional(Type.Object({ categoryId: Uuid, quantity: Type.Integer({ minimum: 1, maximum: 50 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export const HoldView = Type.Object({
  id: Uuid,
  eventId: Uuid,
  expiresAt: Type.String({ format: 'date-time' }),
  seats: Type.Array(Type.Object({ id: Uuid, block: Type.String(), row: Type.String(), number: Type.Integer(), categoryId: Uuid })),
});
export const HoldIdParams = Type.Object({ holdId: Uuid }, { additionalProperties: false });
