import type { TillTotals as Totals } from '../../../../shared/api/till.js';
import { formatEuro } from '../../../../shared/money-format.js';
import { useI18n } from '../../../i18n/context.js';
import type { TillMessageKey } from '../messages.js';

const ROWS: ReadonlyArray<readonly [TillMessageKey, (t: Totals) => string]> = [
  ['till.totals.float', (t) => formatEuro(t.openingFloatCents)],
  ['till.totals.cashSales', (t) => formatEuro(t.cashSalesCents)],
  ['till.totals.cashRefunds', (t) => formatEuro(t.cashRefundsCents)],
  ['till.totals.netCash', (t) => formatEuro(t.netCashCents)],
  ['till.totals.cardSales', (t) => formatEuro(t.cardSalesCents)],
  ['till.totals.cardRefunds', (t) => formatEuro(t.cardRefundsCents)],
  ['till.totals.netCard', (t) => formatEuro(t.netCardCents)],
  ['till.totals.orders', (t) => String(t.orderCount)],
  ['till.totals.tickets', (t) => String(t.ticketCount)],
  ['till.totals.refunds', (t) => String(t.refundCount)],
  ['till.totals.expected', (t) => formatEuro(t.expectedCashCents)],
];

/** The running totals of a till session (X report). */
export function TillTotals({ totals, caption }: { totals: Totals; caption: string }) {
  const { t } = useI18n();
  return (
    <table className="floor-table till-totals" data-testid="till-totals">
      <caption>{caption}</caption>
      <tbody>
        {ROWS.map(([key, value]) => (
          <tr key={key}>
            <th scope="row">{t(key)}</th>
            <td className="floor-num">{value(totals)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
