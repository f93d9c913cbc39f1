import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import type { AppOrigin } from './url-trust';

export interface MainWindowOptions {
  preload: string;
  app: AppOrigin;
}

/** The one Komorebi window: sandboxed, isolated, no Node, and shown once it has painted. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Komorebi',
    backgroundColor: '#16181c',
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (options.app.kind === 'dev') void window.loadURL(options.app.url);
  else void window.loadFile(join(options.app.rendererDir, 'index.html'));
  return window;
}
