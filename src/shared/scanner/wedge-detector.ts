/**
 * Keyboard-wedge scanner detection for the renderer. A wedge scanner "types" its code as keystrokes; the
 * detector tells such a burst from a person typing and from a paste, and reports a decision per event.
 * It never acts: the caller decides. On the entry screen (no form field focused) the caller may swallow
 * every keystroke and act on 'scan'; in a form field it lets keystrokes through (nothing is stolen from
 * normal typing) and, on 'scan', removes the last `chars` characters it let into the field and cancels
 * the terminating Enter/Tab, so a scan never submits a form or jumps to the next field.
 *
 * What counts as a scanner burst: at least `minLength` printable keystrokes, each within `maxGapMs` of
 * the one before, ended by Enter or Tab within `maxGapMs`, with no auto-repeat among them. Scanners type
 * 5–15 ms per character (USB polling at 1–8 ms plus the scanner's inter-character delay); people type
 * 80–300 ms per character, and even fast typists roll over only two or three keys in under 50 ms, never
 * eight in a row. Modifier keydowns (the scanner's own Shift presses) neither count nor break a burst. A
 * paste arrives as one input event, so it is a paste and never a scan.
 *
 * Keyboard layouts. The scanner sends key positions for the layout it is configured for; the operating
 * system turns them into characters with the station's layout (German here). `KeyboardEvent.code` names
 * the physical key (US names) whatever the layout, `key` is the character the OS produced. We map:
 *
 * 1. Digits (ticket barcodes are digits only, DESIGN.md §4): a keystroke on a number-row or keypad key is
 *    that digit, shifted or not. This repairs scanners set to AZERTY (French/Belgian), where digits need
 *    Shift, so a German host types `!"§$%&/()=` instead of `1234567890`. Without `code` (synthetic
 *    events), the host layout's shifted number row is read back as digits. When every keystroke of a
 *    burst is a digit this way, the scan's `code` is the digit string.
 * 2. Anything else is taken as the host typed it, unless `scannerLayout: 'us'` says the scanner sends US
 *    positions: then the US character of each key position is used (from `code`, or, without it, by
 *    reversing the German layout: z↔y, ß→-, ü→[, +→], ö→;, ä→', #→\, -→/, `"`→@, §→#, &→^, /→&, (→*,
 *    )→(, =→) and the shifted counterparts). German dead keys (´ ` ^ for US = + `) carry no character
 *    without `code` and come out as U+FFFD, so the code is visibly unreadable instead of silently wrong.
 *
 * Pure code for the renderer: no DOM types; the caller copies the fields it needs from KeyboardEvent.
 */

export interface WedgeKeyEvent {
  /** KeyboardEvent.key: the character the OS produced, or a key name ("Enter", "Shift", "Dead"). */
  readonly key: string;
  /** KeyboardEvent.code: the physical key in US names ("KeyZ", "Digit1"); '' or absent when unknown. */
  readonly code?: string;
  /** KeyboardEvent.timeStamp in milliseconds. */
  readonly timeStamp: number;
  readonly shiftKey?: boolean;
  readonly ctrlKey?: boolean;
  readonly altKey?: boolean;
  readonly metaKey?: boolean;
  /** Auto-repeat of a held key: a person, never a scanner. */
  readonly repeat?: boolean;
  /** Inside an IME composition: never a scanner. */
  readonly isComposing?: boolean;
}

export type WedgeDecision =
  /** A modifier key alone (the scanner's Shift too): nothing to do. */
  | { readonly kind: 'modifier' }
  /** A printable keystroke; `burst` is the length of the fast run it belongs to (1: none yet). */
  | { readonly kind: 'char'; readonly burst: number }
  /** Any other key, including Enter/Tab that end human typing: leave it to the field. */
  | { readonly kind: 'other' }
  | {
      readonly kind: 'scan';
      /** The code after layout repair (digits when every keystroke was a digit key). */
      readonly code: string;
      /** The characters as the OS typed them into a field. */
      readonly typed: string;
      /** How many printable keystrokes the scan took: what a form field received from it. */
      readonly chars: number;
      readonly terminator: 'Enter' | 'Tab';
      readonly durationMs: number;
    };

export interface PasteDecision {
  readonly kind: 'paste';
  /** The pasted text without surrounding white space and line breaks. */
  readonly text: string;
}

export interface WedgeDetectorOptions {
  /** Longest pause between two keystrokes of a scan. Default 50 ms. */
  readonly maxGapMs?: number;
  /** Fewest printable keystrokes of a scan. Default 8 (EAN-8; ticket barcodes have 22). */
  readonly minLength?: number;
  /** Layout of the station's keyboard (what turns key positions into `key`). Default 'de'. */
  readonly hostLayout?: 'de' | 'us';
  /** Layout the scanner is configured for: 'host' (the same, default) or 'us'. */
  readonly scannerLayout?: 'host' | 'us';
}

export interface WedgeDetector {
  keydown(event: WedgeKeyEvent): WedgeDecision;
  /** A paste (an input event with inputType 'insertFromPaste'): ends any run. */
  paste(text: string): PasteDecision;
  /** Forgets the current run (focus moved, screen changed). */
  reset(): void;
}

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'AltGraph', 'Meta', 'OS', 'CapsLock', 'NumLock', 'ScrollLock', 'Fn', 'FnLock', 'Hyper', 'Super', 'Symbol', 'SymbolLock']);

/** Shifted number row of the host layout, keys 1..9, 0. */
const SHIFTED_DIGIT_ROW: Readonly<Record<'de' | 'us', string>> = { de: '!"§$%&/()=', us: '!@#$%^&*()' };

/** US characters per physical key: [unshifted, shifted]. */
const US_BY_CODE: Readonly<Record<string, readonly [string, string]>> = (() => {
  const table: Record<string, readonly [string, string]> = {
    Minus: ['-', '_'],
    Equal: ['=', '+'],
    BracketLeft: ['[', '{'],
    BracketRight: [']', '}'],
    Backslash: ['\\', '|'],
    Semicolon: [';', ':'],
    Quote: ["'", '"'],
    Backquote: ['`', '~'],
    Comma: [',', '<'],
    Period: ['.', '>'],
    Slash: ['/', '?'],
    Space: [' ', ' '],
    NumpadDecimal: ['.', '.'],
    NumpadAdd: ['+', '+'],
    NumpadSubtract: ['-', '-'],
    NumpadMultiply: ['*', '*'],
    NumpadDivide: ['/', '/'],
  };
  for (let c = 97; c <= 122; c += 1) {
    const letter = String.fromCharCode(c);
    table[`Key${letter.toUpperCase()}`] = [letter, letter.toUpperCase()];
  }
  for (let d = 0; d <= 9; d += 1) {
    table[`Digit${d}`] = [String(d), SHIFTED_DIGIT_ROW.us[(d + 9) % 10] as string];
    table[`Numpad${d}`] = [String(d), String(d)];
  }
  return table;
})();

/**
 * What a German host types for each US key position, reversed: German character → US character. Only the
 * characters that differ; letters other than y/z and unshifted digits are the same on both.
 */
const US_FROM_GERMAN: Readonly<Record<string, string>> = {
  z: 'y', y: 'z', Z: 'Y', Y: 'Z',
  ß: '-', '?': '_',
  ü: '[', Ü: '{', '+': ']', '*': '}',
  '#': '\\', "'": '|',
  ö: ';', Ö: ':', ä: "'", Ä: '"',
  '°': '~',
  ';': '<', ':': '>', '-': '/', _: '?',
  '"': '@', '§': '#', '&': '^', '/': '&', '(': '*', ')': '(', '=': ')',
};

const UNREADABLE = '\uFFFD';

interface Stroke {
  readonly key: string;
  readonly code: string;
  readonly shift: boolean;
  readonly at: number;
}

const isPrintable = (event: WedgeKeyEvent): boolean => {
  if (event.key === 'Dead') return true;
  if ([...event.key].length !== 1) return false;
  // Ctrl or Alt alone, or Meta: a shortcut. Ctrl+Alt is how Windows reports AltGr (German @ € { [ ] }).
  if (event.metaKey === true) return false;
  return (event.ctrlKey === true) === (event.altKey === true);
};

export function createWedgeDetector(options: WedgeDetectorOptions = {}): WedgeDetector {
  const maxGapMs = options.maxGapMs ?? 50;
  const minLength = options.minLength ?? 8;
  const hostLayout = options.hostLayout ?? 'de';
  const scannerLayout = options.scannerLayout ?? 'host';
  const shiftedRow = SHIFTED_DIGIT_ROW[hostLayout];

  let run: Stroke[] = [];
  let tainted = false;

  const reset = (): void => {
    run = [];
    tainted = false;
  };

  const digitOf = (s: Stroke): string | undefined => {
    const byCode = /^(?:Digit|Numpad)([0-9])$/.exec(s.code);
    if (byCode !== null) return byCode[1];
    if (s.code !== '') return undefined;
    if (/^[0-9]$/.test(s.key)) return s.key;
    const index = shiftedRow.indexOf(s.key);
    return index < 0 ? undefined : String((index + 1) % 10);
  };

  const charOf = (s: Stroke): string => {
    if (scannerLayout === 'us') {
      const us = US_BY_CODE[s.code];
      if (us !== undefined) return s.shift ? us[1] : us[0];
      if (hostLayout === 'de') return US_FROM_GERMAN[s.key] ?? (s.key === 'Dead' ? UNREADABLE : s.key);
    }
    return s.key === 'Dead' ? UNREADABLE : s.key;
  };

  function keydown(event: WedgeKeyEvent): WedgeDecision {
    if (MODIFIER_KEYS.has(event.key)) return { kind: 'modifier' };
    const at = event.timeStamp;
    const last = run.at(-1);
    const gapOk = last !== undefined && at - last.at <= maxGapMs && at >= last.at;

    if (event.isComposing === true) {
      reset();
      return { kind: 'other' };
    }

    if (event.key === 'Enter' || event.key === 'Tab') {
      const strokes = run;
      const isScan = gapOk && !tainted && strokes.length >= minLength && event.repeat !== true;
      reset();
      if (!isScan) return { kind: 'other' };
      const digits = strokes.map(digitOf);
      const code = digits.every((d) => d !== undefined) ? digits.join('') : strokes.map(charOf).join('');
      return {
        kind: 'scan',
        code,
        typed: strokes.map((s) => (s.key === 'Dead' ? '' : s.key)).join(''),
        chars: strokes.length,
        terminator: event.key,
        durationMs: at - (strokes[0] as Stroke).at,
      };
    }

    if (!isPrintable(event)) {
      reset();
      return { kind: 'other' };
    }

    if (!gapOk) reset();
    if (event.repeat === true) tainted = true;
    run.push({ key: event.key, code: event.code ?? '', shift: event.shiftKey === true, at });
    return { kind: 'char', burst: run.length };
  }

  return {
    keydown,
    paste(text) {
      reset();
      return { kind: 'paste', text: text.trim() };
    },
    reset,
  };
}
