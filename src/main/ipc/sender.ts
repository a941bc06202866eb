import { isAppUrl } from '../app/policy.js';

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
  readonly processId: number;
  readonly routingId: number;
}

/** The parts of Electron's IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  readonly senderFrame: FrameLike | null;
}

/** The station window's WebContents as far as the check needs it. */
export interface TrustedContents {
  readonly id: number;
  readonly mainFrame: FrameLike;
}

/**
 * An IPC call is accepted only from the station window's own main frame showing the app origin: not
 * from a subframe, not from another WebContents (devtools, a future dialog), not after a navigation
 * away from app:// (which the guards forbid anyway), and not from a frame that is already gone.
 */
export function isTrustedSender(event: InvokeEventLike, trusted: TrustedContents | undefined): boolean {
  if (trusted === undefined) return false;
  const frame = event.senderFrame;
  if (frame === null) return false;
  return (
    event.sender.id === trusted.id &&
    frame.parent === null &&
    frame.processId === trusted.mainFrame.processId &&
    frame.routingId === trusted.mainFrame.routingId &&
    isAppUrl(frame.url)
  );
}
