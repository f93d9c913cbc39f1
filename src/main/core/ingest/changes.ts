import type { Notifier } from '../../../shared/events';

/**
 * Collects gallery changes and emits one 'library:changed' at most every `intervalMs`,
 * so a scan of 10,000 files refreshes the gallery a few times a second, not 10,000 times.
 */
export class LibraryChanges {
  private added = 0;
  private removed = 0;
  private updated = 0;
  private folderIds = new Set<number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly notifier: Notifier,
    private readonly intervalMs = 200,
  ) {}

  note(folderId: number, change: { added?: number; removed?: number; updated?: number }): void {
    const total = (change.added ?? 0) + (change.removed ?? 0) + (change.updated ?? 0);
    if (total === 0) return;
    this.added += change.added ?? 0;
    this.removed += change.removed ?? 0;
    this.updated += change.updated ?? 0;
    this.folderIds.add(folderId);
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.folderIds.size === 0) return;
    const payload = {
      added: this.added,
      removed: this.removed,
      updated: this.updated,
      folderIds: [...this.folderIds],
    };
    this.added = this.removed = this.updated = 0;
    this.folderIds.clear();
    this.notifier.emit('library:changed', payload);
  }
}
