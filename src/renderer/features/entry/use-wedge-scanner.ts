/**
 * Keyboard-wedge capture for the gate: a scanner "types" its code as a fast burst ending in Enter. The
 * shared detector (src/shared/scanner/wedge-detector.ts) tells the burst from a person typing. Keys are
 * watched on the whole window, so a scan works wherever the focus is: a key pressed elsewhere moves the
 * focus into the scan field, a burst's Enter never reaches a focused button. The field is cleared after
 * each scan; a person who types the digits slowly and presses Enter submits them as a manual entry (a
 * damaged label).
 */
import { useEffect, useRef, type RefObject } from 'react';
import { createWedgeDetector, type WedgeDetectorOptions } from '../../../shared/scanner/wedge-detector.js';

export interface WedgeScannerOptions {
  readonly onScan: (code: string, manual: boolean) => void;
  /** The scan field: cleared after each scan; Enter there submits what a person typed. */
  readonly inputRef: RefObject<HTMLInputElement | null>;
  /** Keys the screen handles itself (Escape, F9), called when no scan consumed the key. */
  readonly onKey?: (event: KeyboardEvent) => void;
  readonly enabled: boolean;
  readonly detector?: WedgeDetectorOptions;
  /** When the key was pressed; KeyboardEvent.timeStamp by default (tests pass their own clock). */
  readonly eventTime?: (event: KeyboardEvent) => number;
}

const isTextField = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target instanceof HTMLTextAreaElement || target.isContentEditable || (target instanceof HTMLInputElement && target.type !== 'button' && target.type !== 'checkbox'));

export function useWedgeScanner(options: WedgeScannerOptions): void {
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    if (!options.enabled) return undefined;
    const detector = createWedgeDetector(options.detector);
    const onKeyDown = (event: KeyboardEvent) => {
      const { onScan, inputRef, onKey, eventTime } = latest.current;
      const decision = detector.keydown({
        key: event.key,
        code: event.code,
        timeStamp: eventTime === undefined ? event.timeStamp : eventTime(event),
        shiftKey: event.shiftKey,
        ctrlKey: event.ctrlKey,
        altKey: event.altKey,
        metaKey: event.metaKey,
        repeat: event.repeat,
        isComposing: event.isComposing,
      });
      const input = inputRef.current;
      const inField = input !== null && event.target === input;
      if (decision.kind === 'scan' || (inField && event.key === 'Enter')) {
        // The terminating Enter must neither submit a form nor press a focused button.
        event.preventDefault();
        if (decision.kind === 'scan') event.stopPropagation();
        const typed = inField ? input.value : '';
        if (input !== null) input.value = '';
        if (decision.kind === 'scan') {
          // A burst that a pause split in two (a busy machine) left all its characters in the field.
          onScan(typed.length > decision.chars ? typed : decision.code, false);
        } else if (typed.trim() !== '') {
          onScan(typed, true);
        }
        return;
      }
      // A key outside the field moves the focus there first, so the character lands in the field and the
      // field holds the whole code when Enter comes.
      if (decision.kind === 'char' && !isTextField(event.target) && input !== null) {
        input.focus();
        return;
      }
      if (decision.kind !== 'char') onKey?.(event);
    };
    const onPaste = () => detector.reset();
    window.addEventListener('keydown', onKeyDown, true);
    window.addEventListener('paste', onPaste, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown, true);
      window.removeEventListener('paste', onPaste, true);
    };
  }, [options.enabled, options.detector]);
}
