/**
 * The entry screen's state: choice of list and gate, the current verdict with its countdown, the last
 * scans, the gate's status and the live figures. Created per screen by a factory that receives the
 * backend, the audio port, the clock and the timers, so tests drive it without network, sound or waiting.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EntryListView, EntryStats } from '../../../shared/api/entry.js';
import type { CodedFailure, EntryBackend, GateStatus, GateVerdict } from './backend.js';
import type { AudioPort } from './sound.js';
import { displayFailure, displayVerdict, type VerdictDisplay } from './verdict-display.js';

export interface EntryTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface ShownScan {
  readonly id: number;
  /** The code's last digits only: a full barcode on screen could be photographed and copied. */
  readonly codeTail: string;
  readonly manual: boolean;
  readonly at: number;
  readonly display: VerdictDisplay;
  readonly verdict?: GateVerdict;
}

export interface ProgressSample {
  readonly at: number;
  readonly admitted: number;
  readonly expected: number;
}

export interface EntryState {
  readonly phase: 'loading' | 'setup' | 'opening' | 'open';
  readonly lists: readonly EntryListView[];
  readonly listsError: CodedFailure | null;
  readonly selectedListId: string | null;
  readonly gate: string;
  readonly setupError: CodedFailure | 'GATE_REQUIRED' | null;
  readonly openList: EntryListView | null;
  readonly status: GateStatus | null;
  readonly offlineCapable: boolean;
  readonly current: ShownScan | null;
  readonly countdown: number;
  /** Scans sent and not yet answered. */
  readonly checking: number;
  readonly recent: readonly ShownScan[];
  readonly stats: EntryStats | null;
  readonly statsError: CodedFailure | null;
  readonly samples: readonly ProgressSample[];
}

export interface EntryActions {
  loadLists(): Promise<void>;
  selectList(id: string): void;
  setGate(gate: string): void;
  start(): Promise<void>;
  scan(code: string, manual: boolean): Promise<void>;
  dismiss(): void;
  end(): Promise<void>;
  refreshStats(): Promise<void>;
  /** Stops the timers and the status subscription (screen left). */
  dispose(): void;
}

export type EntryStore = StoreApi<EntryState & EntryActions>;

export interface EntryStoreDeps {
  readonly backend: EntryBackend;
  readonly audio: AudioPort;
  readonly now: () => number;
  readonly timers: EntryTimers;
  readonly formatTime: (iso: string) => string;
  readonly deviceText: (device: string) => string;
  /** How long a verdict stays (UX.md 20: a visible countdown). Default 5. */
  readonly countdownSeconds?: number;
  readonly statsEveryMs?: number;
  readonly recentMax?: number;
  /** Samples kept for the progress chart (one per stats refresh). */
  readonly samplesMax?: number;
}

const CODE_TAIL = 6;

export function createEntryStore(deps: EntryStoreDeps): EntryStore {
  const countdownSeconds = deps.countdownSeconds ?? 5;
  const statsEveryMs = deps.statsEveryMs ?? 10_000;
  const recentMax = deps.recentMax ?? 12;
  const samplesMax = deps.samplesMax ?? 720;
  let countdownTimer: unknown;
  let statsTimer: unknown;
  let unsubscribe: (() => void) | undefined;
  let nextId = 1;
  let latestScanId = 0;
  let statsInFlight: Promise<void> | undefined;

  const stopCountdown = () => {
    if (countdownTimer !== undefined) deps.timers.clearInterval(countdownTimer);
    countdownTimer = undefined;
  };
  const stopStats = () => {
    if (statsTimer !== undefined) deps.timers.clearInterval(statsTimer);
    statsTimer = undefined;
  };

  return createStore<EntryState & EntryActions>()((set, get) => {
    const startCountdown = () => {
      stopCountdown();
      set({ countdown: countdownSeconds });
      countdownTimer = deps.timers.setInterval(() => {
        const left = get().countdown - 1;
        if (left > 0) {
          set({ countdown: left });
          return;
        }
        stopCountdown();
        set({ countdown: 0, current: null });
      }, 1_000);
    };

    const show = (scan: ShownScan) => {
      set((s) => ({ recent: [scan, ...s.recent].slice(0, recentMax) }));
      // An answer to an older scan that arrives after a newer scan started goes to the list only.
      if (scan.id !== latestScanId) return;
      set({ current: scan });
      deps.audio.play(scan.display.sound);
      startCountdown();
    };

    return {
      phase: 'loading',
      lists: [],
      listsError: null,
      selectedListId: null,
      gate: '',
      setupError: null,
      openList: null,
      status: null,
      offlineCapable: deps.backend.offlineCapable,
      current: null,
      countdown: 0,
      checking: 0,
      recent: [],
      stats: null,
      statsError: null,
      samples: [],

      async loadLists() {
        set({ phase: 'loading', listsError: null });
        const answer = await deps.backend.lists();
        if (!answer.ok) {
          set({ phase: 'setup', lists: [], listsError: answer.error });
          return;
        }
        const selected = get().selectedListId;
        const keep = answer.value.some((l) => l.id === selected);
        set({ phase: 'setup', lists: answer.value, selectedListId: keep ? selected : (answer.value[0]?.id ?? null) });
      },

      selectList(id) {
        set({ selectedListId: id, setupError: null });
      },

      setGate(gate) {
        set({ gate, setupError: null });
      },

      async start() {
        const { lists, selectedListId, gate } = get();
        const list = lists.find((l) => l.id === selectedListId);
        const name = gate.trim();
        if (list === undefined) return;
        if (name === '') {
          set({ setupError: 'GATE_REQUIRED' });
          return;
        }
        set({ phase: 'opening', setupError: null });
        const opened = await deps.backend.open(list, name);
        if (!opened.ok) {
          set({ phase: 'setup', setupError: opened.error });
          return;
        }
        unsubscribe?.();
        const offStatus = deps.backend.onStatus((status) => set({ status }));
        const offScans = deps.backend.onHardwareScan?.((code) => void get().scan(code, false));
        unsubscribe = () => {
          offStatus();
          offScans?.();
        };
        set({ phase: 'open', openList: list, gate: name, status: opened.value, current: null, recent: [], stats: null, samples: [] });
        await get().refreshStats();
        stopStats();
        statsTimer = deps.timers.setInterval(() => void get().refreshStats(), statsEveryMs);
      },

      async scan(raw, manual) {
        const code = raw.trim();
        if (code === '' || get().phase !== 'open') return;
        const id = nextId++;
        latestScanId = id;
        // A new scan replaces the shown verdict at once (UX.md 20).
        stopCountdown();
        set((s) => ({ current: null, countdown: 0, checking: s.checking + 1 }));
        const answer = await deps.backend.scan(code);
        set((s) => ({ checking: s.checking - 1 }));
        const base = { id, codeTail: code.slice(-CODE_TAIL), manual, at: deps.now() };
        if (answer.ok) show({ ...base, display: displayVerdict(answer.value, deps.formatTime, deps.deviceText), verdict: answer.value });
        else show({ ...base, display: displayFailure(answer.error.code) });
        // The counters follow the scans, one refresh at a time (the timer catches up the other gates).
        if (statsInFlight === undefined) {
          statsInFlight = get()
            .refreshStats()
            .finally(() => {
              statsInFlight = undefined;
            });
        }
      },

      dismiss() {
        stopCountdown();
        set({ current: null, countdown: 0 });
      },

      async end() {
        stopCountdown();
        stopStats();
        unsubscribe?.();
        unsubscribe = undefined;
        await deps.backend.close();
        set({ phase: 'setup', openList: null, status: null, current: null, countdown: 0 });
      },

      async refreshStats() {
        const list = get().openList;
        if (list === null) return;
        const answer = await deps.backend.stats(list.id);
        if (get().openList?.id !== list.id) return;
        if (!answer.ok) {
          set({ statsError: answer.error });
          return;
        }
        const sample = { at: deps.now(), admitted: answer.value.admitted, expected: answer.value.expected };
        set((s) => ({ stats: answer.value, statsError: null, samples: [...s.samples, sample].slice(-samplesMax) }));
      },

      dispose() {
        stopCountdown();
        stopStats();
        unsubscribe?.();
        unsubscribe = undefined;
      },
    };
  });
}
