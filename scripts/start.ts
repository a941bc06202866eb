/**
 * `npm start`: the embedded default end to end. Sets up data dir, CA, server certificate and demo data,
 * serves the API and the web UI, then opens the Electron station where its binary is installed.
 */
import { createCliContext } from '../server/src/cli/context.js';
import { reportFatal } from '../server/src/cli/index.js';
import { runStart } from '../server/src/cli/start.js';
import { launchStation } from './station-launcher.js';

async function main(): Promise<void> {
  const ctx = createCliContext();
  const { server } = await runStart(ctx, { demo: true });
  const station = await launchStation({ serverUrl: server.url, cwd: process.cwd() });
  ctx.out(station.launched ? `station opened (pid ${station.pid})` : `station not opened: ${station.reason}`);
  ctx.out('press Ctrl+C to stop');
}

main().catch((error: unknown) => process.exit(reportFatal(error)));
