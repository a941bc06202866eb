import { useServices } from './services.js';
import { StatusPanel } from './StatusPanel.js';

/** System status as a screen of its own: server reachability, and in the browser what works here. */
export function StatusScreen() {
  const { bridge, checkServer } = useServices();
  return <StatusPanel bridge={bridge} checkServer={checkServer} />;
}
