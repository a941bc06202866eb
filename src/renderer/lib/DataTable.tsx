import { useMemo, useState, type ReactNode } from 'react';
import './office.css';
import { useI18n } from '../i18n/context.js';
import { saveFile } from './download.js';
import { nextSort, sortRows, toCsv, type SortState, type SortValue } from './list-tools.js';

export interface Column<T> {
  readonly key: string;
  /** Already translated. */
  readonly label: string;
  readonly value: (row: T) => SortValue;
  /** Cell content; the plain value when absent. */
  readonly render?: (row: T) => ReactNode;
  /** CSV cell; the plain value when absent. */
  readonly csv?: (row: T) => string | number | null;
  readonly numeric?: boolean;
  /** false for action columns (buttons, inputs): a plain header, no sorting. */
  readonly sortable?: boolean;
}

export interface DataTableProps<T> {
  readonly caption: string;
  readonly rows: readonly T[];
  readonly columns: readonly Column<T>[];
  readonly rowKey: (row: T) => string;
  /** The first column becomes a button that opens the row. */
  readonly onOpen?: (row: T) => void;
  /** Bulk actions: checkboxes per row; the parent keeps the set. */
  readonly selection?: { readonly selected: ReadonlySet<string>; readonly onChange: (next: ReadonlySet<string>) => void; readonly label: (row: T) => string };
  readonly initialSort?: SortState;
  /** File name of the CSV export (the rows as shown: filtered and sorted); no export button without it. */
  readonly exportName?: string;
  /** Marks the open row. */
  readonly activeKey?: string | undefined;
  /** Rows before a quick search narrowed them (for "n of m"); the rows given when absent. */
  readonly totalCount?: number;
}

/**
 * The back-office list: sortable columns (click or Enter on the header), the first cell opens the row,
 * optional checkboxes for bulk actions, CSV export of what is shown. Sort state is announced by
 * aria-sort and by an arrow with text, never by colour.
 */
export function DataTable<T>({ caption, rows, columns, rowKey, onOpen, selection, initialSort, exportName, activeKey, totalCount }: DataTableProps<T>) {
  const { t } = useI18n();
  const [sort, setSort] = useState<SortState | undefined>(initialSort);
  const sorted = useMemo(() => {
    const byKey = new Map(columns.map((c) => [c.key, c]));
    return sortRows(rows, sort, (row, key) => byKey.get(key)?.value(row) ?? null);
  }, [rows, columns, sort]);

  const exportCsv = () => {
    if (exportName === undefined) return;
    const csv = toCsv(
      columns.map((c) => c.label),
      sorted.map((row) => columns.map((c) => (c.csv ?? c.value)(row))),
    );
    saveFile(document, exportName, csv);
  };

  const allSelected = selection !== undefined && sorted.length > 0 && sorted.every((row) => selection.selected.has(rowKey(row)));

  return (
    <div className="data-table">
      <div className="data-table__bar">
        <span className="data-table__count" aria-live="polite">
          {t('list.count', { shown: sorted.length, total: totalCount ?? rows.length })}
        </span>
        {exportName === undefined ? null : (
          <button type="button" className="button" onClick={exportCsv} disabled={sorted.length === 0}>
            {t('list.export')}
          </button>
        )}
      </div>
      <table className="data-table__table">
        <caption className="data-table__caption">{caption}</caption>
        <thead>
          <tr>
            {selection === undefined ? null : (
              <th scope="col" className="data-table__check">
                <input
                  type="checkbox"
                  aria-label={t('list.selectAll')}
                  checked={allSelected}
                  onChange={() => {
                    selection.onChange(allSelected ? new Set() : new Set(sorted.map(rowKey)));
                  }}
                />
              </th>
            )}
            {columns.map((column) => {
              const active = sort?.key === column.key ? sort.direction : undefined;
              return (
                <th key={column.key} scope="col" aria-sort={column.sortable === false ? undefined : active === undefined ? 'none' : active === 'asc' ? 'ascending' : 'descending'} className={column.numeric === true ? 'data-table__num' : undefined}>
                  {column.sortable === false ? (
                    column.label
                  ) : (
                    <button
                      type="button"
                      className="data-table__sort"
                      title={t('list.sortBy', { column: column.label })}
                      onClick={() => {
                        setSort(nextSort(sort, column.key));
                      }}
                    >
                      {column.label}
                      {active === undefined ? null : (
                        <span className="data-table__arrow">
                          <span aria-hidden="true">{active === 'asc' ? ' ▲' : ' ▼'}</span>
                          <span className="visually-hidden">{t(active === 'asc' ? 'list.sortAscending' : 'list.sortDescending')}</span>
                        </span>
                      )}
                    </button>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.length === 0 ? (
            <tr>
              <td colSpan={columns.length + (selection === undefined ? 0 : 1)}>{t('list.empty')}</td>
            </tr>
          ) : (
            sorted.map((row) => {
              const key = rowKey(row);
              return (
                <tr key={key} className={key === activeKey ? 'data-table__row data-table__row--active' : 'data-table__row'} aria-current={key === activeKey ? 'true' : undefined}>
                  {selection === undefined ? null : (
                    <td className="data-table__check">
                      <input
                        type="checkbox"
                        aria-label={t('list.select', { label: selection.label(row) })}
                        checked={selection.selected.has(key)}
                        onChange={() => {
                          const next = new Set(selection.selected);
                          if (next.has(key)) next.delete(key);
                          else next.add(key);
                          selection.onChange(next);
                        }}
                      />
                    </td>
                  )}
                  {columns.map((column, index) => {
                    const content = column.render?.(row) ?? String(column.value(row) ?? '—');
                    return (
                      <td key={column.key} className={column.numeric === true ? 'data-table__num' : undefined}>
                        {index === 0 && onOpen !== undefined ? (
                          <button
                            type="button"
                            className="data-table__open"
                            onClick={() => {
                              onOpen(row);
                            }}
                          >
                            {content}
                          </button>
                        ) : (
                          content
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
