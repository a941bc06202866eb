/**
 * State for the floor end-to-end tests (entry and till), added to the run's world through the API and the
 * shared fixtures: an event sold at the outlet, a ticket printed and then reprinted (so its first barcode
 * is "replaced"), an entry list, and gate and till users, each on a workstation of its own whose
 * certificate the browser presents.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { loginAs, type ApiClient } from '../support/identity.js';
import { insertBlankBatch, printJob, sellGa } from '../support/printing-fixtures.js';
import { newKey, openTill } from '../support/sales-fixtures.js';
import { E2E_PORT } from './support/env.js';
import type { World } from './support/world.js';

export interface Station {
  /** Workstation name: its certificate is in the state folder (the `station` fixture loads it). */
  readonly workstation: string;
  readonly login: string;
  readonly password: string;
}

export interface EntryScenario {
  readonly eventName: string;
  readonly listName: string;
  /** The barcode of the first print: voided by the reprint. */
  readonly oldCode: string;
  /** The reprint's barcode: valid. */
  readonly newCode: string;
  readonly gate: Station;
}

interface HttpAnswer {
  status: number;
  body: string;
  json: any;
}

async function expectStatus(answer: Promise<HttpAnswer>, status: number, what: string): Promise<any> {
  const r = await answer;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.body}`);
  return r.json;
}

/**
 * A keyboard-wedge scanner: the code's digits and Enter as key events 8 ms apart by the scanner's own
 * clock. The events go through Chromium's input pipeline (CDP Input.dispatchKeyEvent) with explicit
 * timestamps, so the page sees the rhythm of a scanner even when this busy machine delivers them late.
 */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const start = Date.now() / 1000;
  let at = start;
  for (const digit of code) {
    const key = { key: digit, code: `Digit${digit}`, windowsVirtualKeyCode: digit.charCodeAt(0), nativeVirtualKeyCode: digit.charCodeAt(0) };
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', text: digit, unmodifiedText: digit, timestamp: at, ...key });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', timestamp: at + 0.003, ...key });
    at += 0.008;
  }
  const enter = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 };
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', text: '\r', unmodifiedText: '\r', timestamp: at, ...enter });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', timestamp: at + 0.003, ...enter });
  await cdp.detach();
}

/** Signs a user in over the API at a world workstation (HTTPS with its certificate, as the station would). */
async function apiSession(world: World, workstation: { certPath: string; keyPath: string }, user: { login: string; password: string }): Promise<ApiClient> {
  const server = { port: E2E_PORT, pki: { ca: { certPem: world.state.ca.certPem } } } as Parameters<typeof loginAs>[0];
  return loginAs(server, { certPem: readFileSync(workstation.certPath, 'utf8'), keyPem: readFileSync(workstation.keyPath, 'utf8') }, user);
}

/** The shared helpers read only `tdb.asAdmin` of their server argument. */
const owner = (world: World) => ({ tdb: { asAdmin: <T>(fn: (admin: World['admin']) => Promise<T>) => fn(world.admin) } }) as never;

/**
 * A clerk of the second outlet at a workstation of its own with the till open and blanks first…last in the
 * tray, who has just sold `tickets` GA tickets of a fresh event and issued their print job (not confirmed).
 */
async function soldAndIssued(world: World, options: { workstation: string; login: string; displayName: string; permissions: Parameters<World['user']>[2]; blanks: readonly [number, number]; tickets: number }) {
  // The second outlet: its events (all named like the run's shared one) stay out of the other specs' lists.
  const outlet = world.state.tenants.outletB;
  const event = await world.salesEvent({ gaCapacity: 50, sellers: [outlet] });
  const ws = await world.workstation(outlet, options.workstation);
  const user = await world.user(outlet, options.login, options.permissions, { displayName: options.displayName });
  await openTill(owner(world), outlet, ws.id, user.id);
  await insertBlankBatch(owner(world), outlet, options.blanks[0], options.blanks[1], user.id);
  const clerk = await apiSession(world, ws, user);
  await expectStatus(clerk.request('PUT', '/api/v1/printing/tray', { nextBlankNumber: options.blanks[0] }), 200, 'load paper');
  const order = await sellGa(clerk, event.eventId, event.gaCategoryId, options.tickets);
  const job = await expectStatus(printJob(clerk, order.id), 201, 'print job');
  return { event, user, clerk, job };
}

/**
 * One GA ticket sold at the outlet, printed, then reprinted for damage; an entry list for the event; a
 * gate user (entry.scan) of the promoter at workstation `tor-nord`. Blanks 6001… (whole sheets) so as not
 * to meet the run's other printers.
 */
export async function entryScenario(world: World): Promise<EntryScenario> {
  const { event, clerk, job } = await soldAndIssued(world, {
    workstation: 'kasse-einlass',
    login: 'kasse.einlass',
    displayName: 'Kai Kasse',
    permissions: ['sales.sell', 'tickets.print', 'tickets.reprint'],
    blanks: [6_001, 6_030],
    tickets: 1,
  });
  await expectStatus(clerk.request('POST', `/api/v1/print-jobs/${job.id}/confirm`, {}), 200, 'confirm print');
  const first = job.tickets[0] as { ticketId: string; barcode: string };
  const reprint = await expectStatus(clerk.request('POST', `/api/v1/tickets/${first.ticketId}/reprint`, { reason: 'damaged' }, { 'idempotency-key': newKey() }), 201, 'reprint');
  await expectStatus(clerk.request('POST', `/api/v1/print-jobs/${reprint.id}/confirm`, {}), 200, 'confirm reprint');

  const promoterWs = await world.workstation(event.promoterId, 'veranstalter-buero');
  const promoter = await apiSession(world, promoterWs, await world.user(event.promoterId, 'veranstalter.einlass', ['events.manage']));
  const listName = 'Haupteingang';
  await expectStatus(promoter.request('POST', '/api/v1/entry-lists', { eventId: event.eventId, name: listName }), 201, 'entry list');

  await world.workstation(event.promoterId, 'tor-nord');
  const gateUser = await world.user(event.promoterId, 'einlass.nord', ['entry.scan'], { displayName: 'Eva Einlass' });
  return { eventName: 'Sommerkonzert', listName, oldCode: first.barcode, newCode: (reprint.tickets[0] as { barcode: string }).barcode, gate: { workstation: 'tor-nord', login: gateUser.login, password: gateUser.password } };
}

/** A clerk with the till closed at a workstation of its own, who may read closing reports. */
export async function tillScenario(world: World): Promise<Station> {
  const { outlet } = world.state.tenants;
  await world.workstation(outlet, 'kasse-abschluss');
  const user = await world.user(outlet, 'kasse.abschluss', ['sales.sell', 'reports.view'], { displayName: 'Tom Abschluss' });
  return { workstation: 'kasse-abschluss', login: user.login, password: user.password };
}

export interface StockScenario {
  readonly station: Station;
  /** The blanks of a print job the station never confirmed (a printer fault). */
  readonly pendingBlanks: readonly number[];
}

/**
 * A head clerk (printing and stock rights) whose workstation issued a print job for two tickets on
 * blanks 7003 and 7004 and never confirmed it: the printer jammed.
 */
export async function stockScenario(world: World): Promise<StockScenario> {
  const { user, job } = await soldAndIssued(world, {
    workstation: 'kasse-druck',
    login: 'chef.druck',
    displayName: 'Paula Druck',
    permissions: ['sales.sell', 'tickets.print', 'stock.manage'],
    blanks: [7_003, 7_032],
    tickets: 2,
  });
  return { station: { workstation: 'kasse-druck', login: user.login, password: user.password }, pendingBlanks: [job.firstBlank as number, job.lastBlank as number] };
}
