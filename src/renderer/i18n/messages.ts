/**
 * UI texts, German first (STYLE.md habit 11). `en` is typed against the keys of `de`, so a key missing
 * in either language is a compile error; test/unit/renderer checks the same at run time.
 */

import { deShell, enShell } from '../app/messages.js';
import { deAuth, enAuth } from '../features/auth/messages.js';
import { deList, enList } from '../lib/list-messages.js';
import { deInvoicing, enInvoicing } from '../features/invoicing/messages.js';
import { deAdmin, enAdmin } from '../features/admin/messages.js';
import { deAudit, enAudit } from '../features/audit/messages.js';
import { deIntrusion, enIntrusion } from '../features/intrusion/messages.js';
import { deEntry, enEntry } from '../features/entry/messages.js';
import { deStock, enStock } from '../features/stock/messages.js';
import { deTill, enTill } from '../features/till/messages.js';
import { deSales, enSales } from '../features/sales/messages.js';
import { deOrders, enOrders } from '../features/orders/messages.js';
import { deErrors, enErrors } from './error-messages.js';

export const LANGUAGES = ['de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * Language names in their own language (endonyms), the same in every UI language: someone who cannot
 * read the current language still recognises their own.
 */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { de: 'Deutsch', en: 'English' };

export const de = {
  'app.title': 'Kasse & Druckstation',
  'language.label': 'Sprache',
  'status.heading': 'Systemstatus',
  'status.checking': 'Verbindung zum Server wird geprüft …',
  'status.reachable': 'Server erreichbar',
  'status.unreachable': 'Server nicht erreichbar',
  'status.unreachableHint':
    'Bitte Netzwerkverbindung prüfen und dann „Erneut prüfen“ wählen. Bleibt der Fehler, die IT-Betreuung verständigen.',
  'status.retry': 'Erneut prüfen',
  'status.shellReady': 'Station-Shell bereit',
  'status.version': 'Version {version}',
  'mode.web.heading': 'Im Browser',
  'mode.web.note':
    'Drucken: Die Tickets werden als PDF zum Herunterladen bzw. für den Druckdialog angeboten. Scannen: Handscanner im Tastaturmodus funktionieren. USB-Scanner (HID) und direktes Drucken auf Sicherheitspapier gibt es nur an der Station.',
  ...deErrors,
  ...deEntry,
  ...deTill,
  ...deStock,
  ...deInvoicing,
  ...deList,
  ...deAdmin,
  ...deAudit,
  ...deIntrusion,
  ...deShell,
  ...deAuth,
  ...deOrders,
  ...deSales,
} satisfies Record<string, string>;

export type MessageKey = keyof typeof de;
export type Messages = Readonly<Record<MessageKey, string>>;

export const en: Messages = {
  'app.title': 'Kasse & Druckstation',
  'language.label': 'Language',
  'status.heading': 'System status',
  'status.checking': 'Checking the connection to the server …',
  'status.reachable': 'Server reachable',
  'status.unreachable': 'Server not reachable',
  'status.unreachableHint':
    'Please check the network connection, then choose “Check again”. If the problem persists, contact IT support.',
  'status.retry': 'Check again',
  'status.shellReady': 'Station shell ready',
  'status.version': 'Version {version}',
  'mode.web.heading': 'In the browser',
  'mode.web.note':
    'Printing: tickets are offered as a PDF to download or print through the print dialog. Scanning: handheld scanners in keyboard mode work. USB scanners (HID) and direct printing on security paper are available at the station only.',
  ...enErrors,
  ...enEntry,
  ...enTill,
  ...enStock,
  ...enInvoicing,
  ...enList,
  ...enAdmin,
  ...enAudit,
  ...enIntrusion,
  ...enShell,
  ...enAuth,
  ...enOrders,
  ...enSales,
};

export const MESSAGES: Readonly<Record<Language, Messages>> = { de, en };
