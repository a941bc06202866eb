/**
 * What the gate shows and plays for a verdict: a tone (colour and icon), a big word, a reason that
 * says what to do, and a sound pattern. The word and the icon carry the meaning; colour only repeats
 * it (UX.md 17, 23). A voided code whose print died by a reprint is "replaced" (UX.md 12).
 */
import type { Verdict } from '../../../shared/api/entry.js';
import type { MessageParams } from '../../i18n/translate.js';
import type { GateVerdict } from './backend.js';
import type { EntryMessageKey } from './messages.js';

export type VerdictTone = 'admit' | 'refuse' | 'warn';

/** Distinct by rhythm, not only by pitch (UX.md 18): one short high, three long low, two short mid. */
export type SoundPattern = 'admit' | 'refuse' | 'warn';

export type DisplayWord = Verdict | 'replaced' | 'error';

export interface VerdictDisplay {
  readonly tone: VerdictTone;
  readonly word: DisplayWord;
  readonly wordKey: EntryMessageKey;
  /** A verdict's reason text, or the code of the failure that left the scan unchecked. */
  readonly reason: { readonly key: EntryMessageKey; readonly params?: MessageParams } | { readonly errorCode: string };
  readonly sound: SoundPattern;
  readonly offline: boolean;
}

const TONE: Readonly<Record<Verdict, VerdictTone>> = {
  admitted: 'admit',
  checked_out: 'warn',
  not_inside: 'warn',
  malformed: 'warn',
  already_admitted: 'refuse',
  voided: 'refuse',
  cancelled: 'refuse',
  unpaid: 'refuse',
  wrong_event: 'refuse',
  wrong_entry_list: 'refuse',
  not_yet_valid: 'refuse',
  no_longer_valid: 'refuse',
  unknown: 'refuse',
};

export interface TimeFormat {
  (iso: string): string;
}

export function displayVerdict(v: GateVerdict, formatTime: TimeFormat, deviceText: (device: string) => string): VerdictDisplay {
  const word: Verdict | 'replaced' = v.verdict === 'voided' && v.voidReason === 'reprinted' ? 'replaced' : v.verdict;
  const tone = TONE[v.verdict];
  let reasonParams: MessageParams | undefined;
  if (v.verdict === 'already_admitted') {
    reasonParams = {
      time: v.admittedAt === undefined ? '–' : formatTime(v.admittedAt),
      gate: v.admittedGate ?? '–',
      device: v.admittedDevice === undefined ? '' : deviceText(v.admittedDevice),
    };
  } else if (v.verdict === 'not_yet_valid' && v.validFrom !== undefined) {
    reasonParams = { time: formatTime(v.validFrom) };
  } else if (v.verdict === 'no_longer_valid' && v.validUntil !== undefined) {
    reasonParams = { time: formatTime(v.validUntil) };
  } else if (v.verdict === 'not_yet_valid' || v.verdict === 'no_longer_valid') {
    reasonParams = { time: '–' };
  }
  return {
    tone,
    word,
    wordKey: `entry.verdict.${word}`,
    reason: { key: `entry.reason.${word}`, ...(reasonParams === undefined ? {} : { params: reasonParams }) },
    sound: tone,
    offline: v.mode === 'offline',
  };
}

/** A scan that got no verdict (no network in the browser, no list, journal failure): never "admit". */
export function displayFailure(code: string): VerdictDisplay {
  return { tone: 'warn', word: 'error', wordKey: 'entry.verdict.error', reason: { errorCode: code }, sound: 'warn', offline: false };
}
