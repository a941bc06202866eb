/**
 * Parsers for the output of CUPS's `lpstat` and `lp`, run with LC_ALL=C (the English messages of
 * cups/lpstat.c). Tolerant: unknown lines are skipped, and a printer whose state line cannot be read is
 * `unknown` rather than a guess.
 */
import type { PrinterInfo, PrinterState } from '../ports/printer.js';

/** Keywords of `printer-state-reasons` (RFC 8011 and CUPS) that mean the tray is empty. */
const PAPER_OUT_REASONS = /^media-(empty|needed)(-error|-warning|-report)?$/;
/** … and that mean the device cannot be reached or was stopped. */
const OFFLINE_REASONS = /^(offline|shutdown|paused|stopped|timed-out)(-error|-warning|-report)?$/;

interface PrinterBlock {
  name: string;
  state: PrinterState;
  reasons: string[];
  message?: string;
}

/** `lpstat -l -p [name]`: one block per printer, a head line and tab-indented details. */
export function parseLpstatPrinters(output: string): PrinterBlock[] {
  const blocks: PrinterBlock[] = [];
  let current: PrinterBlock | undefined;
  let expectMessage = false;
  for (const raw of output.split(/\r?\n/)) {
    const head = /^printer (\S+) (.*)$/.exec(raw);
    if (head !== null) {
      const [, name = '', rest = ''] = head;
      const state: PrinterState = /^is idle\b/.test(rest) ? 'idle' : /^now printing\b/.test(rest) ? 'printing' : /^disabled\b/.test(rest) ? 'offline' : 'unknown';
      current = { name, state, reasons: [] };
      blocks.push(current);
      // The line after "disabled since … -" is the reason the queue was stopped, e.g. "Paused".
      expectMessage = state === 'offline';
      continue;
    }
    if (!/^\s/.test(raw)) {
      current = undefined;
      continue;
    }
    if (current === undefined) continue;
    const line = raw.trim();
    const alerts = /^Alerts:\s*(.*)$/.exec(line);
    if (alerts !== null) {
      current.reasons = (alerts[1] ?? '')
        .split(/[\s,]+/)
        .filter((reason) => reason !== '' && reason !== 'none');
      expectMessage = false;
      continue;
    }
    if (expectMessage) {
      if (line !== '' && !/^[A-Z][A-Za-z ]+:/.test(line)) current.message = line;
      expectMessage = false;
    }
  }
  return blocks;
}

/** `lpstat -a [name]`: which queues accept jobs. */
export function parseLpstatAccepting(output: string): Map<string, boolean> {
  const accepting = new Map<string, boolean>();
  for (const line of output.split(/\r?\n/)) {
    const match = /^(\S+) (not )?accepting requests\b/.exec(line);
    if (match?.[1] !== undefined) accepting.set(match[1], match[2] === undefined);
  }
  return accepting;
}

/** `lpstat -d`: "system default destination: NAME" or "no system default destination". */
export function parseLpstatDefault(output: string): string | undefined {
  return /^system default destination: (\S+)/m.exec(output)?.[1];
}

/** `lp`: "request id is PDF-12 (1 file(s))". */
export function parseLpRequestId(output: string): string | undefined {
  return /\brequest id is (\S+)/.exec(output)?.[1];
}

/** Combines state line, state reasons and the accepting flag into one state; paper out wins (it has a clear fix). */
export function printerInfo(block: PrinterBlock, accepting: boolean | undefined, isDefault: boolean): PrinterInfo {
  let state = block.state;
  if (block.reasons.some((reason) => OFFLINE_REASONS.test(reason)) || accepting === false) state = 'offline';
  if (block.reasons.some((reason) => PAPER_OUT_REASONS.test(reason))) state = 'paper-out';
  const detail = [block.message, ...block.reasons, accepting === false ? 'not accepting jobs' : undefined].filter((part): part is string => part !== undefined).join('; ');
  return { name: block.name, state, isDefault, ...(detail === '' ? {} : { detail }) };
}

/** lpstat/lp messages meaning "no such queue" (CUPS 2.x wordings). */
export function isUnknownDestination(stderr: string): boolean {
  return /Invalid destination name|printer or class does not exist|Unknown destination|No such destination/i.test(stderr);
}

export function isNotAccepting(stderr: string): boolean {
  return /not accepting jobs/i.test(stderr);
}

/** lpstat when no queue exists at all. */
export function isNoDestinations(stderr: string): boolean {
  return /No destinations added/i.test(stderr);
}
