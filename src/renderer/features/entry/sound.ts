/**
 * Sounds per verdict (UX.md 18): the patterns differ in rhythm and length, not only in pitch, so they
 * can be told apart in a noisy foyer and by people who do not hear pitch well. Played with the Web
 * Audio API (oscillator + gain envelope); tests inject a recording port instead.
 */
import type { SoundPattern } from './verdict-display.js';

export interface AudioPort {
  play(pattern: SoundPattern): void;
}

interface Tone {
  readonly hz: number;
  readonly ms: number;
  /** Silence after the tone. */
  readonly gapMs: number;
}

export const SOUND_PATTERNS: Readonly<Record<SoundPattern, readonly Tone[]>> = {
  // One short, high beep: go.
  admit: [{ hz: 1320, ms: 120, gapMs: 0 }],
  // Three long, low buzzes: stop.
  refuse: [
    { hz: 220, ms: 260, gapMs: 90 },
    { hz: 220, ms: 260, gapMs: 90 },
    { hz: 220, ms: 260, gapMs: 0 },
  ],
  // Two short mid tones, rising: look at the screen.
  warn: [
    { hz: 523, ms: 110, gapMs: 70 },
    { hz: 784, ms: 110, gapMs: 0 },
  ],
};

/** The parts of AudioContext the player uses (so a test or a muted station can do without one). */
export interface AudioContextLike {
  readonly currentTime: number;
  readonly state: string;
  readonly destination: AudioNode;
  resume(): Promise<void>;
  createOscillator(): OscillatorNode;
  createGain(): GainNode;
}

/**
 * A Web Audio player. The context is created on first use: browsers start it suspended until the page
 * had a user gesture, and a gate's first scan is such a gesture (a key press).
 */
export function createWebAudioPort(createContext: () => AudioContextLike | undefined): AudioPort {
  let context: AudioContextLike | undefined;
  return {
    play(pattern) {
      context ??= createContext();
      const ctx = context;
      if (ctx === undefined) return;
      if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
      let at = ctx.currentTime + 0.01;
      for (const tone of SOUND_PATTERNS[pattern]) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = pattern === 'refuse' ? 'square' : 'sine';
        osc.frequency.setValueAtTime(tone.hz, at);
        // Short ramps avoid clicks at the edges.
        gain.gain.setValueAtTime(0, at);
        gain.gain.linearRampToValueAtTime(0.25, at + 0.01);
        gain.gain.setValueAtTime(0.25, at + tone.ms / 1000 - 0.02);
        gain.gain.linearRampToValueAtTime(0, at + tone.ms / 1000);
        osc.connect(gain);
        gain.connect(ctx.destination);
        osc.start(at);
        osc.stop(at + tone.ms / 1000 + 0.01);
        at += (tone.ms + tone.gapMs) / 1000;
      }
    },
  };
}

export const silentAudio: AudioPort = { play: () => undefined };
