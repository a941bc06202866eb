/**
 * What every spec uses: a browser context per workstation (its client certificate), a screenshot per
 * major step into the test's output folder, and an accessibility check with axe-core.
 */
import { createRequire } from 'node:module';
import { test as base, expect, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { certificateFiles, E2E_ORIGIN } from './env.js';
import { connectWorld, readState, type World, type WorldState } from './world.js';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');

export interface E2eFixtures {
  readonly state: WorldState;
  readonly world: World;
  /** A new browser context that presents this workstation's certificate (mutual TLS). */
  readonly station: (workstation: string) => Promise<{ context: BrowserContext; page: Page }>;
}

export const test = base.extend<E2eFixtures>({
  state: async ({}, use) => {
    await use(readState());
  },
  world: async ({ state }, use) => {
    const world = connectWorld(state);
    await use(world);
    await world.close();
  },
  station: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (workstation) => {
      const context = await browser.newContext({ clientCertificates: [{ origin: E2E_ORIGIN, ...certificateFiles(workstation) }] });
      contexts.push(context);
      return { context, page: await context.newPage() };
    });
    for (const context of contexts) await context.close();
  },
});

export { expect };

const shotNumbers = new WeakMap<TestInfo, number>();

/** Saves a full-page screenshot as <nn>-<name>.png in the test's output folder (numbered per test). */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const number = (shotNumbers.get(testInfo) ?? 0) + 1;
  shotNumbers.set(testInfo, number);
  const file = testInfo.outputPath(`${String(number).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/** Runs axe-core on the page and fails on serious or critical violations (listed in the message). */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.impact}: ${v.id} – ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `axe on ${what}`).toEqual([]);
}

/** Signs in through the login screen (the workstation certificate is the context's). */
export async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto('/app/');
  await expect(page.getByTestId('certificate-status')).toContainText('Arbeitsplatz erkannt');
  await page.getByLabel('Benutzername').fill(login);
  await page.getByLabel('Passwort', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
}
