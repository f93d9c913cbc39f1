import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Where Komorebi keeps its library when nobody says otherwise: KOMOREBI_DATA_DIR, else the
 * OS's per-user app-data folder. The same folder Electron's `app.getPath('userData')` would
 * give for the product name, computed without Electron so browser mode and the app share a
 * library.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const explicit = env.KOMOREBI_DATA_DIR?.trim();
  if (explicit) return explicit;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Komorebi');
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Komorebi');
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.config'), 'Komorebi');
}
