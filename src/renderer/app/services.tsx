import { createContext, useContext, type ReactNode } from 'react';
import type { Backend } from '../lib/backend.js';
import type { Capabilities } from '../lib/capabilities.js';
import type { BoxofficeApi } from './bridge.js';
import type { Reachability } from './readiness.js';
import type { SessionStore } from './session-store.js';

/**
 * What every screen may use, created once by the composition root (main.tsx) and handed down through
 * context: the backend port, the session, what this runtime can do, the bridge (desktop only) and
 * navigation between screens.
 */
export interface AppServices {
  readonly backend: Backend;
  readonly session: SessionStore;
  readonly capabilities: Capabilities;
  /** Desktop station only (printing, scanner, entry mode); undefined in the browser. */
  readonly bridge: BoxofficeApi | undefined;
  readonly now: () => number;
  readonly checkServer: () => Promise<Reachability>;
  /** Opens another screen by registry id (ignored if the session may not see it). */
  readonly navigate: (screenId: string) => void;
}

const ServicesContext = createContext<AppServices | null>(null);

export function ServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (services === null) throw new Error('useServices outside <ServicesProvider>');
  return services;
}
