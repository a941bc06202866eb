import type { Static } from 'typebox';
import type { OrderSummary } from '../../../shared/api/sales.js';

export type OrderSummaryView = Static<typeof OrderSummary>;
