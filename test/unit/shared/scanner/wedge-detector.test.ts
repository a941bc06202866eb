import { describe, expect, it } from 'vitest';
import { barcodeCheckDigits } from '../../../../src/shared/barcode.js';
import { createWedgeDetector, type WedgeDecision, type WedgeKeyEvent } from '../../../../src/shared/scanner/wedge-detector.js';

/** Deterministic randomness, so a failing timing is reproducible. */
function random(seed: number) {
  let s = seed;
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return { next, between: (lo: number, hi: number) => lo + next() * (hi - lo) };
}

function barcode(rng: ReturnType<typeof random>): string {
  let payload = '';
  while (payload.length < 20) payload += String(Math.floor(rng.next() * 10));
  return payload + barcodeCheckDigits(payload);
}

/** German (QWERTZ) layout: character → physical key (US names) and Shift. */
const GERMAN: Record<string, { code: string; shift: boolean }> = (() => {
  const t: Record<string, { code: string; shift: boolean }> = {};
  for (const c of 'abcdefghijklmnopqrstuvwx') {
    t[c] = { code: `Key${c.toUpperCase()}`, shift: false };
    t[c.toUpperCase()] = { code: `Key${c.toUpperCase()}`, shift: true };
  }
  Object.assign(t, { y: { code: 'KeyZ', shift: false }, Y: { code: 'KeyZ', shift: true }, z: { code: 'KeyY', shift: false }, Z: { code: 'KeyY', shift: true } });
  '1234567890'.split('').forEach((d, i) => {
    t[d] = { code: `Digit${d}`, shift: false };
    t['!"§$%&/()='[i]!] = { code: `Digit${d}`, shift: true };
  });
  const rest: Array<[string, string, boolean]> = [
    ['ß', 'Minus', false], ['?', 'Minus', true], ['ü', 'BracketLeft', false], ['Ü', 'BracketLeft', true], ['+', 'BracketRight', false], ['*', 'BracketRight', true],
    ['#', 'Backslash', false], ["'", 'Backslash', true], ['ö', 'Semicolon', false], ['Ö', 'Semicolon', true], ['ä', 'Quote', false], ['Ä', 'Quote', true],
    [',', 'Comma', false], [';', 'Comma', true], ['.', 'Period', false], [':', 'Period', true], ['-', 'Slash', false], ['_', 'Slash', true], ['°', 'Backquote', true], [' ', 'Space', false],
  ];
  for (const [c, code, shift] of rest) t[c] = { code, shift };
  return t;
})();
/** What a German host types for a key: the reverse of the table; ´ ` ^ are dead keys. */
const germanKey = (code: string, shift: boolean): string =>
  Object.entries(GERMAN).find(([, k]) => k.code === code && k.shift === shift)?.[0] ?? (['Equal', 'Backquote'].includes(code) ? 'Dead' : '?');
/** US layout: character → key. */
const US: Record<string, { code: string; shift: boolean }> = (() => {
  const t: Record<string, { code: string; shift: boolean }> = {};
  for (const c of 'abcdefghijklmnopqrstuvwxyz') {
    t[c] = { code: `Key${c.toUpperCase()}`, shift: false };
    t[c.toUpperCase()] = { code: `Key${c.toUpperCase()}`, shift: true };
  }
  '1234567890'.split('').forEach((d, i) => {
    t[d] = { code: `Digit${d}`, shift: false };
    t['!@#$%^&*()'[i]!] = { code: `Digit${d}`, shift: true };
  });
  const pairs: Array<[string, string, string]> = [['-', '_', 'Minus'], ['=', '+', 'Equal'], ['[', '{', 'BracketLeft'], [']', '}', 'BracketRight'], ['\\', '|', 'Backslash'], [';', ':', 'Semicolon'], ["'", '"', 'Quote'], ['`', '~', 'Backquote'], [',', '<', 'Comma'], ['.', '>', 'Period'], ['/', '?', 'Slash']];
  for (const [plain, shifted, code] of pairs) {
    t[plain] = { code, shift: false };
    t[shifted] = { code, shift: true };
  }
  return t;
})();

type Setup = 'german-on-german' | 'us-on-german' | 'azerty-digits-on-german';

/**
 * The keydown events a wedge scanner causes: per character (Shift down first where needed), then Enter.
 * The scanner presses the key its own layout needs; the German host turns that key into `key`.
 */
function scannerKeys(text: string, start: number, gap: () => number, setup: Setup = 'german-on-german', terminator: 'Enter' | 'Tab' = 'Enter'): WedgeKeyEvent[] {
  const events: WedgeKeyEvent[] = [];
  let t = start;
  for (const c of text) {
    const pos = setup === 'us-on-german' ? US[c] : setup === 'azerty-digits-on-german' && /[0-9]/.test(c) ? { code: `Digit${c}`, shift: true } : GERMAN[c];
    if (pos === undefined) throw new Error(`no key for ${c}`);
    if (pos.shift) events.push({ key: 'Shift', code: 'ShiftLeft', timeStamp: t + 0.5, shiftKey: true });
    events.push({ key: germanKey(pos.code, pos.shift), code: pos.code, timeStamp: t + 1, shiftKey: pos.shift });
    t += gap();
  }
  events.push({ key: terminator, code: terminator, timeStamp: t });
  return events;
}

/** A person typing (German keyboard): key by key, then Enter. */
function humanKeys(text: string, start: number, gap: () => number): WedgeKeyEvent[] {
  let t = start;
  const events: WedgeKeyEvent[] = [];
  for (const c of text) {
    const pos = GERMAN[c]!;
    events.push({ key: c, code: pos.code, timeStamp: t, shiftKey: pos.shift });
    t += gap();
  }
  events.push({ key: 'Enter', code: 'Enter', timeStamp: t });
  return events;
}

const feed = (detector: ReturnType<typeof createWedgeDetector>, events: WedgeKeyEvent[]): WedgeDecision[] => events.map((e) => detector.keydown(e));
const scansOf = (decisions: WedgeDecision[]) => decisions.filter((d): d is Extract<WedgeDecision, { kind: 'scan' }> => d.kind === 'scan');

describe('keyboard-wedge detector: scanner, person or paste', () => {
  it('detects every scanner burst at 5–15 ms per character with the code, its length and duration', () => {
    const rng = random(1);
    const detector = createWedgeDetector();
    let t = 1000;
    for (let i = 0; i < 300; i += 1) {
      const code = barcode(rng);
      const decisions = feed(detector, scannerKeys(code, t, () => rng.between(5, 15)));
      const [scan] = scansOf(decisions);
      expect(scan).toMatchObject({ kind: 'scan', code, typed: code, chars: 22, terminator: 'Enter' });
      expect(scan!.durationMs).toBeGreaterThan(22 * 5 - 1);
      expect(scan!.durationMs).toBeLessThan(22 * 15 + 1);
      expect(decisions.slice(0, -1).map((d) => d.kind)).toEqual(Array(22).fill('char'));
      t += rng.between(800, 3000);
    }
  });

  it('never takes a person typing the same codes for a scan: 80–300 ms, and fast typists with rollovers', () => {
    const rng = random(2);
    const detector = createWedgeDetector();
    let t = 0;
    for (let i = 0; i < 300; i += 1) {
      const code = barcode(rng);
      // Every third key of the fast typist rolls over (20–45 ms), the rest 70–160 ms.
      const gap = i % 2 === 0 ? () => rng.between(80, 300) : () => (rng.next() < 0.33 ? rng.between(20, 45) : rng.between(70, 160));
      const decisions = feed(detector, humanKeys(code, t, gap));
      expect(decisions.at(-1)).toEqual({ kind: 'other' });
      expect(Math.max(...decisions.flatMap((d) => (d.kind === 'char' ? [d.burst] : [])))).toBeLessThan(8);
      t += 5000;
    }
  });

  it('lets a form field’s Enter through after typing, and leaves typing before a scan in the field', () => {
    const rng = random(3);
    const detector = createWedgeDetector();
    const typed = feed(detector, humanKeys('Müller, Hans', 0, () => rng.between(90, 250)));
    expect(typed.map((d) => d.kind)).toEqual([...Array(12).fill('char'), 'other']);

    // A note typed into a field, then the scanner fires into the same field: only the scan's 22 keystrokes are its.
    const code = barcode(rng);
    const prefix = humanKeys('Platz 7 ', 10_000, () => rng.between(90, 250)).slice(0, -1);
    const burst = scannerKeys(code, prefix.at(-1)!.timeStamp + 400, () => rng.between(5, 15));
    const [scan] = scansOf(feed(detector, [...prefix, ...burst]));
    expect(scan).toMatchObject({ code, chars: 22 });
  });

  it('treats a paste as a paste, never as a scan, and a later Enter as the person’s', () => {
    const rng = random(4);
    const detector = createWedgeDetector();
    const code = barcode(rng);
    expect(detector.keydown({ key: 'v', code: 'KeyV', ctrlKey: true, timeStamp: 100 })).toEqual({ kind: 'other' });
    expect(detector.paste(`${code}\r\n`)).toEqual({ kind: 'paste', text: code });
    expect(detector.keydown({ key: 'Enter', code: 'Enter', timeStamp: 104 })).toEqual({ kind: 'other' });
  });

  it('ignores the scanner’s own Shift presses and accepts Tab as terminator', () => {
    const rng = random(5);
    const detector = createWedgeDetector();
    const [scan] = scansOf(feed(detector, scannerKeys('ABCD1234XZ', 0, () => rng.between(5, 15), 'german-on-german', 'Tab')));
    expect(scan).toMatchObject({ code: 'ABCD1234XZ', chars: 10, terminator: 'Tab' });
  });

  it('refuses short bursts, a late terminator, auto-repeat, IME composition and a break by another key', () => {
    const rng = random(6);
    const gap = () => rng.between(5, 15);
    const d = createWedgeDetector();
    expect(scansOf(feed(d, scannerKeys('1234567', 0, gap)))).toEqual([]);
    const late = scannerKeys('12345678901', 1000, gap);
    late.push({ ...late.pop()!, timeStamp: late.at(-1)!.timeStamp + 400 });
    expect(scansOf(feed(d, late))).toEqual([]);
    const held = Array.from({ length: 20 }, (_, i): WedgeKeyEvent => ({ key: '1', code: 'Digit1', timeStamp: 5000 + i * 33, repeat: i > 0 }));
    expect(scansOf(feed(d, [...held, { key: 'Enter', code: 'Enter', timeStamp: 5000 + 20 * 33 }]))).toEqual([]);
    const broken = scannerKeys('123456789012', 9000, () => 8);
    broken.splice(6, 0, { key: 'Backspace', code: 'Backspace', timeStamp: broken[5]!.timeStamp + 1 });
    expect(scansOf(feed(d, broken))).toEqual([]);
    const composing = scannerKeys('123456789012', 12_000, () => 8);
    composing.splice(7, 0, { key: 'a', code: 'KeyA', timeStamp: composing[6]!.timeStamp + 1, isComposing: true });
    expect(scansOf(feed(d, composing))).toEqual([]);
    // …and after all of that, the next real scan is read.
    expect(scansOf(feed(d, scannerKeys('98765432109876', 20_000, gap)))).toMatchObject([{ code: '98765432109876' }]);
  });

  it('tolerates a gap just under the limit and breaks at one just over it', () => {
    const d = createWedgeDetector({ maxGapMs: 40 });
    const slowish = scannerKeys('1234567890', 0, () => 39);
    expect(scansOf(feed(d, slowish))).toHaveLength(1);
    const tooSlow = scannerKeys('1234567890', 1000, () => 41);
    expect(scansOf(feed(d, tooSlow))).toEqual([]);
  });
});

describe('keyboard-wedge detector: layout artefacts', () => {
  it('reads digits typed with Shift (scanner set to AZERTY on a German keyboard) as digits', () => {
    const rng = random(7);
    const code = barcode(rng);
    const events = scannerKeys(code, 0, () => rng.between(5, 15), 'azerty-digits-on-german');
    const [scan] = scansOf(feed(createWedgeDetector(), events));
    expect(scan!.typed).toMatch(/^[!"§$%&/()=]{22}$/);
    expect(scan!.code).toBe(code);
    // Without KeyboardEvent.code the German shifted number row is read back.
    const withoutCode = events.map((e) => ({ ...e, code: '' }));
    expect(scansOf(feed(createWedgeDetector(), withoutCode))[0]!.code).toBe(code);
    // A US host's shifted row differs (@ # ^ & * …).
    const usHost = code.split('').map((c, i): WedgeKeyEvent => ({ key: '!@#$%^&*()'[(Number(c) + 9) % 10]!, code: '', shiftKey: true, timeStamp: i * 8 }));
    expect(scansOf(feed(createWedgeDetector({ hostLayout: 'us' }), [...usHost, { key: 'Enter', timeStamp: 22 * 8 }]))[0]!.code).toBe(code);
  });

  it('reads digits of a US-configured scanner on a German keyboard unchanged', () => {
    const rng = random(8);
    const code = barcode(rng);
    expect(scansOf(feed(createWedgeDetector(), scannerKeys(code, 0, () => rng.between(5, 15), 'us-on-german')))[0]!.code).toBe(code);
  });

  it('repairs letters and signs of a US-configured scanner on a German keyboard when told so (y/z, ß for -, …)', () => {
    const rng = random(9);
    const text = 'AB-12/xyz_Q;[x]@#';
    const events = scannerKeys(text, 0, () => rng.between(5, 15), 'us-on-german');
    const asTyped = scansOf(feed(createWedgeDetector(), events))[0]!;
    expect(asTyped.typed).toBe('AB' + 'ß' + '12-xzy?Qöü' + 'x+"§');
    expect(asTyped.code).toBe(asTyped.typed);
    expect(scansOf(feed(createWedgeDetector({ scannerLayout: 'us' }), events))[0]!.code).toBe(text);
    const withoutCode = events.map((e) => ({ ...e, code: '' }));
    expect(scansOf(feed(createWedgeDetector({ scannerLayout: 'us' }), withoutCode))[0]!.code).toBe(text);
  });

  it('marks a US = typed as a German dead key as unreadable instead of guessing', () => {
    const events = scannerKeys('AB=CD12345', 0, () => 8, 'us-on-german');
    const noCode = events.map((e) => ({ ...e, code: '' }));
    expect(scansOf(feed(createWedgeDetector({ scannerLayout: 'us' }), noCode))[0]!.code).toBe('AB\uFFFDCD12345');
    expect(scansOf(feed(createWedgeDetector({ scannerLayout: 'us' }), events))[0]!.code).toBe('AB=CD12345');
  });

  it('keeps AltGr characters (Ctrl+Alt on Windows) in a burst but breaks it at a shortcut', () => {
    const at = (i: number) => i * 8;
    const chars = '12345678'.split('').map((c, i): WedgeKeyEvent => ({ key: c, code: `Digit${c}`, timeStamp: at(i) }));
    const altGr: WedgeKeyEvent = { key: '@', code: 'KeyQ', ctrlKey: true, altKey: true, timeStamp: at(8) };
    expect(scansOf(feed(createWedgeDetector(), [...chars, altGr, { key: 'Enter', timeStamp: at(9) }]))[0]!.code).toBe('12345678@');
    const shortcut: WedgeKeyEvent = { key: 's', code: 'KeyS', ctrlKey: true, timeStamp: at(8) };
    expect(scansOf(feed(createWedgeDetector(), [...chars, shortcut, { key: 'Enter', timeStamp: at(9) }]))).toEqual([]);
  });
});
