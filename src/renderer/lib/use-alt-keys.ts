import { useEffect, useRef } from 'react';

/**
 * Alt + letter shortcuts of one screen (the shell keeps Alt + digit for the screens). The handlers are
 * read from a ref, so a re-render with new closures needs no re-registration. Letters are matched by
 * `event.code` (KeyA …), which stays the same on German and English keyboard layouts.
 */
export function useAltKeys(handlers: Readonly<Record<string, () => void>>): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const match = /^Key([A-Z])$/.exec(event.code);
      const handler = match === null ? undefined : ref.current[match[1]!.toLowerCase()];
      if (handler === undefined) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
    };
  }, []);
}
