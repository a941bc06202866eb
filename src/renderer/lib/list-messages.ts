/** Texts of the shared list table (DataTable): sorting, selection, export. */
export const deList = {
  'list.sortAscending': 'aufsteigend sortiert',
  'list.sortDescending': 'absteigend sortiert',
  'list.sortBy': 'Nach {column} sortieren',
  'list.export': 'Als CSV exportieren',
  'list.empty': 'Keine Einträge.',
  'list.count': '{shown} von {total} Einträgen',
  'list.select': '{label} auswählen',
  'list.selectAll': 'Alle angezeigten auswählen',
  'list.filter': 'Filter',
  'list.loading': 'Wird geladen …',
} satisfies Record<string, string>;

export const enList: Readonly<Record<keyof typeof deList, string>> = {
  'list.sortAscending': 'sorted ascending',
  'list.sortDescending': 'sorted descending',
  'list.sortBy': 'Sort by {column}',
  'list.export': 'Export as CSV',
  'list.empty': 'No entries.',
  'list.count': '{shown} of {total} entries',
  'list.select': 'Select {label}',
  'list.selectAll': 'Select all shown',
  'list.filter': 'Filter',
  'list.loading': 'Loading …',
};
