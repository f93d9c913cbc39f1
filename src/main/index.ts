import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session, shell } from 'electron';
import { type Core, createCore } from './core/app';
import { defaultDataDir } from './core/default-data-dir';
import { type DataDirLock, lockDataDir } from './core/library/data-dir-lock';
import { IpcNotifier, registerApi } from './ipc';
import { installMenu } from './menu';
import { registerMediaScheme, serveMedia } from './protocol';
import { KeychainSecretStore, type SafeStorageLike } from './secret-store';
import { hardenSession, hardenWebContents } from './security';
import { type AppOrigin, isAppPage } from './url-trust';
import { createMainWindow } from './window';

// Electron main: glue only. Everything the app does lives in ./core behind createCore.
const here = dirname(fileURLToPath(import.meta.url));
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const origin: AppOrigin = devUrl
  ? { kind: 'dev', url: devUrl }
  : { kind: 'file', rendererDir: join(here, '../renderer') };
const preload = join(here, '../preload/index.cjs');
const dataDir = defaultDataDir();
const notifier = new IpcNotifier();
let core: Core | null = null;
let mainWindow: BrowserWindow | null = null;

app.setName('Komorebi');
// Chromium's own caches stay in a subfolder instead of mixing with the library.
app.setPath('userData', join(dataDir, 'electron'));
app.enableSandbox();
registerMediaScheme();

// A second desktop app focuses the first; browser mode (`npm run serve`) on the same data
// directory is refused by the data directory's own lock, taken before anything is written.
const dataDirLock = app.requestSingleInstanceLock() ? lockOrExplain() : null;
if (!dataDirLock) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, origin));
  app
    .whenReady()
    .then(() => start(dataDirLock))
    .catch(failToStart);
}

function lockOrExplain(): DataDirLock | null {
  try {
    return lockDataDir(dataDir, 'electron');
  } catch (error) {
    failToStart(error);
    return null;
  }
}

async function start(lock: DataDirLock): Promise<void> {
  hardenSession(session.defaultSession, origin);
  installMenu({ dev: origin.kind === 'dev' });
  core = await createCore({
    dataDir,
    dataDirLock: lock,
    notifier,
    shell: 'electron',
    secrets: new KeychainSecretStore(dataDir, keychain()),
    pickFolder: () => pickDirectory('Add a photo folder', false),
    pickExportFolder: () => pickDirectory('Export the comic to…', true),
    trashFiles: async (paths) => {
      for (const path of paths) await shell.trashItem(path);
    },
    version: app.getVersion(),
    // Packaged, the models are real files beside app.asar (extraResources): onnxruntime reads
    // them natively and cannot see inside an asar archive.
    manifestDir: app.isPackaged ? join(process.resourcesPath, 'models') : undefined,
    embedWorkerUrl: pathToFileURL(join(here, 'embed-worker.js')),
    previewWorkerUrl: pathToFileURL(join(here, 'preview-worker.js')),
  });
  const ready = core;
  serveMedia(session.defaultSession, () => ready.mediaRoots());
  registerApi(ipcMain, ready.handlers, (url) => isAppPage(url, origin));
  showWindow();
  app.on('activate', () => showWindow());
}

function showWindow(): void {
  if (!app.isReady() || !core) return;
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  mainWindow = createMainWindow({ preload, app: origin });
  notifier.attach(mainWindow.webContents);
}

async function pickDirectory(title: string, canCreate: boolean): Promise<string | null> {
  const options: Electron.OpenDialogOptions = {
    title,
    properties: canCreate ? ['openDirectory', 'createDirectory'] : ['openDirectory'],
  };
  const focused = BrowserWindow.getFocusedWindow();
  const result = focused
    ? await dialog.showOpenDialog(focused, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** safeStorage, with the Linux-only backend query exposed only on Linux. */
function keychain(): SafeStorageLike {
  return {
    isEncryptionAvailable: () => safeStorage.isEncryptionAvailable(),
    encryptString: (text) => safeStorage.encryptString(text),
    decryptString: (data) => safeStorage.decryptString(data),
    getSelectedStorageBackend:
      process.platform === 'linux' ? () => safeStorage.getSelectedStorageBackend() : undefined,
  };
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Close the core (pending writes, watchers, workers) before the process exits.
let closing = false;
app.on('before-quit', (event) => {
  if (!core || closing) return;
  event.preventDefault();
  closing = true;
  core
    .close()
    .catch((error: unknown) => console.error('[komorebi] the library did not close cleanly:', error))
    .finally(() => {
      core = null;
      app.quit();
    });
});

function failToStart(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  console.error('[komorebi] could not start:', error);
  dialog.showErrorBox('Komorebi could not start', `${message}\n\nLibrary folder: ${dataDir}`);
  app.exit(1);
}
