import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { LoginScreen } from '../features/auth/components/LoginScreen.js';
import { PasswordChangeScreen } from '../features/auth/components/PasswordChangeScreen.js';
import { useServices } from './services.js';

/** Signed out: login. A password that must be changed: only the change. Otherwise the app. */
export function AuthGate({ children }: { readonly children: ReactNode }) {
  const { session } = useServices();
  const info = useStore(session, (state) => state.session);
  if (info === undefined) return <LoginScreen />;
  if (info.mustChangePassword) return <PasswordChangeScreen />;
  return <>{children}</>;
}
