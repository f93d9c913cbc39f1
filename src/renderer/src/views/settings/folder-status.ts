import type { FolderStatus, WatchedFolder } from '../../../../shared/model';

/** How a folder's state reads in Settings: a short label and a sentence when it needs one. */
export function folderStatusLabel(folder: Pick<WatchedFolder, 'status' | 'error'>): {
  label: string;
  detail: string | null;
} {
  const labels: Record<FolderStatus, { label: string; detail: string | null }> = {
    watching: { label: 'Watching', detail: null },
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
