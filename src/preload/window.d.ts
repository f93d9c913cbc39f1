import type { KomorebiBridge } from './index';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in browser mode. */
    komorebi?: KomorebiBridge;
  }
}
