/**
 * Where the end-to-end run keeps its server and certificates. The port is fixed (E2E_PORT, default
 * 18643) because Playwright's client-certificate setting names the origin when the config loads,
 * before global setup starts the server.
 */
import path from 'node:path';

export const E2E_PORT = Number(process.env['E2E_PORT'] ?? 18643);
/** localhost, not 127.0.0.1: the server certificate names localhost, and so does Chromium's origin. */
export const E2E_ORIGIN = `https://localhost:${E2E_PORT}`;
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
/** Per port, so that two runs on one machine (other ports) do not share certificates or state. */
export const STATE_DIR = path.join(REPO_ROOT, 'test-results', 'e2e-state', String(E2E_PORT));
/** Screenshots, PDFs and traces of the run (E2E_OUTPUT to keep two runs apart). */
export const OUTPUT_DIR = process.env['E2E_OUTPUT'] ?? path.join(REPO_ROOT, 'test-results', 'e2e');
export const STATE_FILE = path.join(STATE_DIR, 'state.json');

/** Workstations of the run; each has <name>.crt and <name>.key in STATE_DIR. */
export const WORKSTATIONS = ['kasse-1', 'buero-1'] as const;
export type WorkstationName = (typeof WORKSTATIONS)[number];

export function certificateFiles(name: string): { certPath: string; keyPath: string } {
  return { certPath: path.join(STATE_DIR, `${name}.crt`), keyPath: path.join(STATE_DIR, `${name}.key`) };
}
