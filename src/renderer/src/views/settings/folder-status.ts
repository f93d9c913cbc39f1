import type { FolderStatus, WatchedFolder } from '../../../../shared/model';

/** How a folder's state reads in Settings: a short label and a sentence when it needs one. */
export function folderStatusLabel(
  folder: Pick<WatchedFolder, 'status' | 'error'> & Partial<Pick<WatchedFolder, 'watchNote'>>,
): {
  label: string;
  detail: string | null;
} {
  const labels: Record<FolderStatus, { label: string; detail: string | null }> = {
    // Out of file watches: still watched, on a timer; the note says what to do.
    watching: folder.watchNote
      ? { label: 'Checked on a timer', detail: folder.watchNote }
      : { label: 'Watching', detail: null },
    scanning: { label: 'Scanning…', detail: null },
    offline: {
      label: 'Offline',
      detail:
        'The folder cannot be reached (a disconnected drive?). Its photos are kept and come back when it does.',
    },
    error: { label: 'Error', detail: folder.error ?? 'Komorebi could not read this folder.' },
  };
  return labels[folder.status] ?? { label: folder.status, detail: folder.error };
}

/** A sentence with `commands` in backticks, split so the commands can be shown as code. */
export function withCommands(text: string): { text: string; command: boolean }[] {
  return text
    .split('`')
    .map((part, i) => ({ text: part, command: i % 2 === 1 }))
    .filter((p) => p.text.length > 0);
}
