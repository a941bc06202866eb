/** Texts of the app shell (header, navigation, screen titles), German first. */
export const deShell = {
  'shell.navigation': 'Bereiche',
  'shell.user': 'Angemeldet: {name}',
  'shell.tenant': 'Mandant: {tenant}',
  'shell.workstation': 'Arbeitsplatz: {workstation}',
  'shell.sessionLeft': 'Sitzung endet in {time}',
  'shell.sessionLeftShort': 'Sitzung endet in {time} – bitte bald neu anmelden',
  'shell.logout': 'Abmelden',
  'shell.loading': 'Wird geladen …',
  'shell.noScreens': 'Für Ihre Rechte gibt es hier keinen Bereich. Bitte die Verwaltung Ihres Mandanten um die nötigen Rechte bitten.',
  'shell.shortcut': 'Alt+{digit}',
  'screen.status': 'Systemstatus',
} satisfies Record<string, string>;

export const enShell: Readonly<Record<keyof typeof deShell, string>> = {
  'shell.navigation': 'Areas',
  'shell.user': 'Signed in: {name}',
  'shell.tenant': 'Tenant: {tenant}',
  'shell.workstation': 'Workstation: {workstation}',
  'shell.sessionLeft': 'Session ends in {time}',
  'shell.sessionLeftShort': 'Session ends in {time} – please sign in again soon',
  'shell.logout': 'Sign out',
  'shell.loading': 'Loading …',
  'shell.noScreens': 'There is no area for your rights here. Please ask your tenant’s management for the rights you need.',
  'shell.shortcut': 'Alt+{digit}',
  'screen.status': 'System status',
};
