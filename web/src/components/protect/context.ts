import { createContext, useContext } from 'react';

export type HideMode = 'quick' | 'idle';

export interface Protection {
  /** The screen is hidden (quick hide) or locked (inactivity): sensitive things forget themselves. */
  hidden: boolean;
  hide(mode: HideMode): void;
}

export const ProtectContext = createContext<Protection>({ hidden: false, hide: () => {} });

export const useProtection = () => useContext(ProtectContext);
