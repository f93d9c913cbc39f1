import type { KomorebiBridge } from '../shared/bridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    komorebi?: KomorebiBridge;
  }
}
