import { describe, expect, it } from 'vitest';
import { outOfWatchesMessage } from '../../src/main/core/ingest/watch-limits';
import {
  menuEntriesFor,
  type PhotoMenuContext,
  type PhotoMenuItem,
  photoMenuItems,
} from '../../src/renderer/src/views/gallery/photo-menu';
import { folderStatusLabel, withCommands } from '../../src/renderer/src/views/settings/folder-status';
import type { Photo } from '../../src/shared/model';

const photo: Photo = {
  id: 7,
  hash: 'h7',
  folderId: 1,
  name: 'a.jpg',
  path: '/p/a.jpg',
  size: 1,
  width: null,
  height: null,
  date: 0,
  takenAt: null,
  thumb: null,
  preview: null,
  original: 'folder/1/a.jpg',
};

function context(calls: string[], selectedCount = 1): PhotoMenuContext {
  return {
    photo,
    index: 3,
    selectedCount,
    selectedIds: async () => [7],
    openLightbox: () => calls.push('open'),
    select: () => calls.push('select'),
    navigate: (view, params) => calls.push(`navigate:${view}:${JSON.stringify(params)}`),
  };
}

describe('photo context menu', () => {
  it('offers Open and Select, each doing what it says', () => {
    const calls: string[] = [];
    const entries = menuEntriesFor(photoMenuItems, context(calls)).slice(0, 2);
    expect(entries.map((e) => [e.id, e.label, e.disabled])).toEqual([
      ['open', 'Open', false],
      ['select', 'Select', false],
    ]);
    for (const entry of entries) entry.run();
    expect(calls).toEqual(['open', 'select']);
  });

  it('takes pluggable items with labels, visibility and enablement from the context', () => {
    const calls: string[] = [];
    const comic: PhotoMenuItem = {
      id: 'comic',
      label: (c) => `Make comic from ${c.selectedCount} photos`,
      isEnabled: (c) => c.selectedCount >= 2,
      run: (c) => c.navigate('studio', { create: [c.photo.id] }),
    };
    const hidden: PhotoMenuItem = { id: 'never', label: 'Never', isVisible: () => false, run: () => {} };
    const one = menuEntriesFor([...photoMenuItems, comic, hidden], context(calls, 1));
    expect(one.map((e) => e.id).slice(0, 2)).toEqual(['open', 'select']);
    expect(one.map((e) => e.id)).not.toContain('never');
    expect(one.at(-1)).toMatchObject({ id: 'comic', label: 'Make comic from 1 photos', disabled: true });
    const three = menuEntriesFor([comic], context(calls, 3));
    expect(three[0]?.disabled).toBe(false);
    three[0]?.run();
    expect(calls).toEqual(['navigate:studio:{"create":[7]}']);
  });
});

describe('folder status labels', () => {
  it('says what each state means, with the reason for errors', () => {
    expect(folderStatusLabel({ status: 'watching', error: null })).toEqual({
      label: 'Watching',
      detail: null,
    });
    expect(folderStatusLabel({ status: 'scanning', error: null }).label).toBe('Scanning…');
    expect(folderStatusLabel({ status: 'offline', error: null })).toMatchObject({ label: 'Offline' });
    expect(folderStatusLabel({ status: 'offline', error: null }).detail).toContain('kept');
    expect(folderStatusLabel({ status: 'error', error: 'Permission denied on /p' })).toEqual({
      label: 'Error',
      detail: 'Permission denied on /p',
    });
  });

  it('a folder checked on a timer because the system ran out of file watches says so, with the command to fix it', () => {
    const note = outOfWatchesMessage('ENOSPC', 2000);
    expect(folderStatusLabel({ status: 'watching', error: null, watchNote: note })).toEqual({
      label: 'Checked on a timer',
      detail: note,
    });
    expect(note).toMatch(
      /^The system ran out of file watches \(ENOSPC\): Komorebi now checks this folder for new and changed photos every 2 s/,
    );
    const commands = withCommands(note)
      .filter((p) => p.command)
      .map((p) => p.text);
    expect(commands).toEqual([
      'sudo sysctl fs.inotify.max_user_watches=524288',
      'echo fs.inotify.max_user_watches=524288 | sudo tee /etc/sysctl.d/60-komorebi.conf',
    ]);
    expect(
      withCommands(note)
        .map((p) => p.text)
        .join(''),
    ).toBe(note.replaceAll('`', ''));
    expect(outOfWatchesMessage('EMFILE', 500)).toMatch(
      /\(EMFILE\).* every 500 ms.*fs\.inotify\.max_user_instances/,
    );
  });
});
