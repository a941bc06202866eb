// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { VERDICTS, type EntryListView, type EntryStats, type Verdict } from '../../../../src/shared/api/entry.js';
import type { EntryBackend, GateStatus, GateVerdict, Outcome } from '../../../../src/renderer/features/entry/backend.js';
import { EntryScreen } from '../../../../src/renderer/features/entry/components/EntryScreen.js';
import { createEntryStore, type EntryStore, type EntryTimers } from '../../../../src/renderer/features/entry/store.js';
import type { SoundPattern } from '../../../../src/renderer/features/entry/verdict-display.js';
import { I18nProvider } from '../../../../src/renderer/i18n/context.js';
import { createLanguageStore } from '../../../../src/renderer/i18n/store.js';

const LIST: EntryListView = {
  id: '00000000-0000-4000-8000-000000000001',
  eventId: '00000000-0000-4000-8000-000000000002',
  eventName: 'Sommerkonzert',
  name: 'Haupteingang',
  categoryIds: null,
  allowReentry: false,
  validFrom: null,
  validUntil: null,
  createdAt: '2026-12-04T10:00:00.000Z',
};
const CODE = '1234567890123456789012';
const STATS: EntryStats = { entryListId: LIST.id, expected: 200, admitted: 3, inside: 3, refused: 1, perGate: [{ gate: 'Nord 1', admitted: 3, refused: 1, lastMinute: 2 }], lastMinute: 2 };

/** Interval timers that fire only when the test says so. */
function manualIntervals() {
  let next = 1;
  const pending = new Map<number, () => void>();
  const timers: EntryTimers = {
    setInterval: (fn) => {
      const id = next++;
      pending.set(id, fn);
      return id;
    },
    clearInterval: (handle) => {
      pending.delete(handle as number);
    },
  };
  return { timers, pending, fire: () => [...pending.values()].forEach((fn) => fn()) };
}

interface Deferred {
  code: string;
  resolve: (v: Outcome<GateVerdict>) => void;
}

function fakeBackend(answer: (code: string) => Outcome<GateVerdict> | 'defer' = () => ({ ok: true, value: verdict('admitted') })) {
  const scans: string[] = [];
  const deferred: Deferred[] = [];
  let statusListener: ((s: GateStatus) => void) | undefined;
  let scanListener: ((code: string) => void) | undefined;
  const backend: EntryBackend = {
    offlineCapable: true,
    lists: async () => ({ ok: true, value: [LIST] }),
    open: async () => ({ ok: true, value: { mode: 'online', listAgeMs: 4_000, pendingUploads: 0 } }),
    scan: (code) => {
      scans.push(code);
      const a = answer(code);
      if (a !== 'defer') return Promise.resolve(a);
      return new Promise((resolve) => deferred.push({ code, resolve }));
    },
    stats: async () => ({ ok: true, value: STATS }),
    close: async () => undefined,
    onStatus: (listener) => {
      statusListener = listener;
      return () => {
        statusListener = undefined;
      };
    },
    onHardwareScan: (listener) => {
      scanListener = listener;
      return () => {
        scanListener = undefined;
      };
    },
  };
  return { backend, scans, deferred, pushStatus: (s: GateStatus) => statusListener?.(s), hidScan: (code: string) => scanListener?.(code) };
}

function verdict(v: Verdict, extra: Partial<GateVerdict> = {}): GateVerdict {
  return { verdict: v, ok: v === 'admitted' || v === 'checked_out', mode: 'online', scannedAt: '2026-12-04T19:00:00.000Z', ...extra };
}

async function openGate(backend: EntryBackend) {
  const intervals = manualIntervals();
  const sounds: SoundPattern[] = [];
  let time = 0;
  let step = 10;
  const store: EntryStore = createEntryStore({
    backend,
    audio: { play: (p) => sounds.push(p) },
    now: () => Date.parse('2026-12-04T19:05:00.000Z'),
    timers: intervals.timers,
    formatTime: (iso) => new Date(iso).toISOString().slice(11, 16),
    deviceText: (d) => ` (Gerät ${d})`,
    countdownSeconds: 3,
  });
  const view = render(
    <I18nProvider store={createLanguageStore('de')}>
      <EntryScreen store={store} eventTime={() => (time += step)} />
    </I18nProvider>,
  );
  const gate = await screen.findByLabelText('Name des Tores');
  const user = userEvent.setup();
  await user.type(gate, 'Nord 1{Enter}');
  await screen.findByTestId('entry-screen');
  return {
    store,
    intervals,
    sounds,
    view,
    user,
    input: screen.getByTestId<HTMLInputElement>('entry-scan-input'),
    setStep: (ms: number) => {
      step = ms;
    },
  };
}

/** A scanner: every key 10 ms after the one before, Enter at the end, wherever the focus is. */
function burst(target: Element, code: string) {
  for (const ch of code) fireEvent.keyDown(target, { key: ch, code: `Digit${ch}` });
  fireEvent.keyDown(target, { key: 'Enter', code: 'Enter' });
}

afterEach(() => {
  cleanup();
});

describe('entry screen: keyboard wedge', () => {
  it('takes a fast burst ending in Enter as a scan, clears the field and shows the verdict', async () => {
    const fake = fakeBackend();
    const g = await openGate(fake.backend);
    expect(document.activeElement).toBe(g.input);
    g.input.value = CODE;
    burst(g.input, CODE);
    expect(fake.scans).toEqual([CODE]);
    expect(g.input.value).toBe('');
    const panel = await screen.findByTestId('entry-verdict-word');
    expect(panel.textContent).toBe('EINLASS');
    expect(screen.queryByText('von Hand eingegeben')).toBeNull();
  });

  it('takes a scan when the focus is on a button, without pressing that button', async () => {
    const fake = fakeBackend();
    const g = await openGate(fake.backend);
    const end = screen.getByRole('button', { name: 'Einlass beenden (F9)' });
    end.focus();
    burst(end, CODE);
    expect(fake.scans).toEqual([CODE]);
    await screen.findByText('EINLASS', { selector: '.entry-verdict__word' });
    // The gate is still open: Enter of the scan did not reach the button.
    expect(g.store.getState().phase).toBe('open');
  });

  it('tells slow typing from a scanner: typed digits need Enter in the field and are marked as typed by hand', async () => {
    const fake = fakeBackend();
    const g = await openGate(fake.backend);
    g.setStep(180);
    await g.user.type(g.input, '12345678{Enter}');
    expect(fake.scans).toEqual(['12345678']);
    expect(g.input.value).toBe('');
    await screen.findByText('von Hand eingegeben');
    // Slow keys outside the field are no scan at all.
    const end = screen.getByRole('button', { name: 'Einlass beenden (F9)' });
    end.focus();
    for (const ch of '87654321') fireEvent.keyDown(end, { key: ch, code: `Digit${ch}` });
    fireEvent.keyDown(end, { key: 'Enter', code: 'Enter' });
    expect(fake.scans).toEqual(['12345678']);
  });

  it('takes codes from a HID scanner in main as scans, until the entry ends', async () => {
    const fake = fakeBackend();
    const g = await openGate(fake.backend);
    act(() => fake.hidScan(CODE));
    expect(fake.scans).toEqual([CODE]);
    await screen.findByText('EINLASS', { selector: '.entry-verdict__word' });
    await act(async () => g.store.getState().end());
    act(() => fake.hidScan(CODE));
    expect(fake.scans).toEqual([CODE]);
  });

  it('keeps a burst whole that a pause split in two: the field holds all of it', async () => {
    const fake = fakeBackend();
    const g = await openGate(fake.backend);
    g.input.value = CODE;
    for (const ch of CODE.slice(0, 10)) fireEvent.keyDown(g.input, { key: ch, code: `Digit${ch}` });
    g.setStep(300);
    fireEvent.keyDown(g.input, { key: CODE[10]!, code: `Digit${CODE[10]!}` });
    g.setStep(10);
    for (const ch of CODE.slice(11)) fireEvent.keyDown(g.input, { key: ch, code: `Digit${ch}` });
    fireEvent.keyDown(g.input, { key: 'Enter', code: 'Enter' });
    expect(fake.scans).toEqual([CODE]);
    expect(g.input.value).toBe('');
    await screen.findByText('EINLASS', { selector: '.entry-verdict__word' });
    expect(screen.queryByText('von Hand eingegeben')).toBeNull();
  });

  it('moves the focus into the scan field when a key is pressed elsewhere', async () => {
    const fake = fakeBackend();
    const g = await openGate(fake.backend);
    const end = screen.getByRole('button', { name: 'Einlass beenden (F9)' });
    end.focus();
    fireEvent.keyDown(end, { key: '4', code: 'Digit4' });
    expect(document.activeElement).toBe(g.input);
  });

  it('repairs a burst typed with a French scanner layout into digits', async () => {
    const fake = fakeBackend();
    const g = await openGate(fake.backend);
    // Without `code`, the German shifted number row reads back as digits.
    for (const ch of '!"§$%&/()=') fireEvent.keyDown(g.input, { key: ch });
    fireEvent.keyDown(g.input, { key: 'Enter' });
    expect(fake.scans).toEqual(['1234567890']);
  });
});

describe('entry screen: verdicts', () => {
  const cases: Array<[string, GateVerdict, string, 'admit' | 'refuse' | 'warn', RegExp]> = [
    ['admitted', verdict('admitted', { ticket: { categoryName: 'Stehplatz', seat: null } }), 'EINLASS', 'admit', /Gast einlassen/],
    ['already_admitted', verdict('already_admitted', { admittedAt: '2026-12-04T18:42:00.000Z', admittedGate: 'Süd 2', admittedDevice: 'tor-sued' }), 'BEREITS BENUTZT', 'refuse', /18:42 an Tor Süd 2 \(Gerät tor-sued\)/],
    ['checked_out', verdict('checked_out'), 'AUSGANG', 'warn', /Ausgang erfasst/],
    ['not_inside', verdict('not_inside'), 'NICHT DRIN', 'warn', /kein|nicht eingelassen/i],
    ['voided (spoiled)', verdict('voided', { voidReason: 'spoiled' }), 'UNGÜLTIG', 'refuse', /verworfen/],
    ['voided by a reprint', verdict('voided', { voidReason: 'reprinted' }), 'ERSETZT', 'refuse', /neu gedruckt/],
    ['cancelled', verdict('cancelled'), 'STORNIERT', 'refuse', /storniert/],
    ['unpaid', verdict('unpaid'), 'NICHT BEZAHLT', 'refuse', /nicht bezahlt/],
    ['wrong_event', verdict('wrong_event'), 'FALSCHE VERANSTALTUNG', 'refuse', /andere Veranstaltung/],
    ['wrong_entry_list', verdict('wrong_entry_list'), 'FALSCHER EINGANG', 'refuse', /richtigen Eingang/],
    ['not_yet_valid', verdict('not_yet_valid', { validFrom: '2026-12-04T20:00:00.000Z' }), 'NOCH NICHT GÜLTIG', 'refuse', /ab 20:00/],
    ['no_longer_valid', verdict('no_longer_valid', { validUntil: '2026-12-04T18:00:00.000Z' }), 'NICHT MEHR GÜLTIG', 'refuse', /bis 18:00/],
    ['unknown', verdict('unknown'), 'UNBEKANNT', 'refuse', /kennt das System nicht/],
    ['malformed', verdict('malformed'), 'NICHT LESBAR', 'warn', /noch einmal scannen/],
  ];

  it('covers every verdict the server knows', () => {
    expect(new Set(cases.map(([, v]) => v.verdict))).toEqual(new Set(VERDICTS));
  });

  it.each(cases)('%s: icon, big word, reason and sound', async (_name, v, word, tone, reason) => {
    const fake = fakeBackend(() => ({ ok: true, value: v }));
    const g = await openGate(fake.backend);
    burst(g.input, CODE);
    const panel = await screen.findByTestId('entry-verdict');
    await within(panel).findByText(word);
    expect(panel.dataset['tone']).toBe(tone);
    expect(panel.querySelector('svg.entry-icon')).not.toBeNull();
    expect(within(panel).getByTestId('entry-verdict-reason').textContent).toMatch(reason);
    expect(g.sounds).toEqual([tone]);
    // The word is never shown without the icon, and the recent list repeats it.
    expect(within(screen.getByTestId('entry-recent')).getByText(word)).toBeTruthy();
  });

  it('labels an offline verdict as such', async () => {
    const fake = fakeBackend(() => ({ ok: true, value: verdict('admitted', { mode: 'offline' }) }));
    const g = await openGate(fake.backend);
    burst(g.input, CODE);
    const panel = await screen.findByTestId('entry-verdict');
    expect(await within(panel).findByText('offline geprüft')).toBeTruthy();
  });

  it('never shows a scan without an answer as admitted', async () => {
    const fake = fakeBackend(() => ({ ok: false, error: { code: 'SERVER_UNREACHABLE' } }));
    const g = await openGate(fake.backend);
    burst(g.input, CODE);
    const panel = await screen.findByTestId('entry-verdict');
    await within(panel).findByText('NICHT GEPRÜFT');
    expect(panel.dataset['tone']).toBe('warn');
    expect(within(panel).getByTestId('entry-verdict-reason').textContent).toMatch(/Server ist nicht erreichbar/);
    expect(g.sounds).toEqual(['warn']);
  });
});

describe('entry screen: countdown and replacement', () => {
  it('closes the verdict after a visible countdown', async () => {
    const fake = fakeBackend();
    const g = await openGate(fake.backend);
    burst(g.input, CODE);
    await screen.findByText('EINLASS', { selector: '.entry-verdict__word' });
    expect(screen.getByTestId('entry-countdown').textContent).toBe('schließt in 3 s');
    act(() => g.intervals.fire());
    expect(screen.getByTestId('entry-countdown').textContent).toBe('schließt in 2 s');
    act(() => g.intervals.fire());
    act(() => g.intervals.fire());
    expect(screen.queryByText('EINLASS', { selector: '.entry-verdict__word' })).toBeNull();
    expect(screen.getByTestId('entry-verdict').dataset['tone']).toBe('idle');
    expect(document.activeElement).toBe(g.input);
  });

  it('replaces a shown verdict at once with the next scan; a late answer to an older scan only joins the list', async () => {
    const fake = fakeBackend(() => 'defer');
    const g = await openGate(fake.backend);
    burst(g.input, '1111111111');
    burst(g.input, '2222222222');
    expect(fake.deferred.map((d) => d.code)).toEqual(['1111111111', '2222222222']);
    await act(async () => fake.deferred[1]!.resolve({ ok: true, value: verdict('admitted') }));
    expect(screen.getByTestId('entry-verdict').dataset['verdict']).toBe('admitted');
    await act(async () => fake.deferred[0]!.resolve({ ok: true, value: verdict('unknown') }));
    // The newer verdict stays; the older one is in the list.
    expect(screen.getByTestId('entry-verdict').dataset['verdict']).toBe('admitted');
    expect(within(screen.getByTestId('entry-recent')).getByText('UNBEKANNT')).toBeTruthy();
    // A third scan clears the shown verdict at once, before its answer.
    burst(g.input, '3333333333');
    expect(screen.getByTestId('entry-verdict').dataset['tone']).toBe('idle');
    expect(screen.getByText('Wird geprüft …')).toBeTruthy();
  });

  it('Esc closes the verdict, F9 ends the entry', async () => {
    const fake = fakeBackend();
    const g = await openGate(fake.backend);
    burst(g.input, CODE);
    await screen.findByText('EINLASS', { selector: '.entry-verdict__word' });
    fireEvent.keyDown(g.input, { key: 'Escape' });
    expect(screen.getByTestId('entry-verdict').dataset['tone']).toBe('idle');
    fireEvent.keyDown(g.input, { key: 'F9' });
    await screen.findByLabelText('Name des Tores');
    expect(g.store.getState().phase).toBe('setup');
  });
});

describe('entry screen: status and figures', () => {
  it('shows online/offline, list age and queued scans, and the counters', async () => {
    const fake = fakeBackend();
    await openGate(fake.backend);
    const status = screen.getByTestId('entry-status');
    expect(status.textContent).toContain('Online');
    expect(status.textContent).toContain('Scanliste: Stand vor 4 s');
    expect(await screen.findByTestId('entry-count-scanned')).toHaveProperty('textContent', '4');
    expect(screen.getByTestId('entry-count-inside').textContent).toBe('3');
    expect(screen.getByTestId('entry-count-expected').textContent).toBe('200');
    act(() => fake.pushStatus({ mode: 'offline', listAgeMs: 300_000, pendingUploads: 7 }));
    expect(status.textContent).toContain('Offline');
    expect(status.textContent).toContain('Stand vor 5 min');
    expect(screen.getByTestId('entry-queued').textContent).toBe('Warteschlange: 7 Scans');
  });
});
