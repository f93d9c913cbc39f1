import { describe, expect, it } from 'vitest';
import { errorFromBody } from '../../src/renderer/src/api/errors';
import {
  clampRect,
  MIN_PANEL_SIDE,
  moveEdge,
  sameRects,
  setField,
  toPagePoint,
} from '../../src/renderer/src/views/studio/cut-math';
import {
  exportProblem,
  isExportConflict,
  needsPanels,
} from '../../src/renderer/src/views/studio/export-options';
import {
  applyProgress,
  formatCost,
  formatElapsed,
  formatTokens,
  type LiveProgress,
  type ProgressEvent,
  retrySecondsLeft,
} from '../../src/renderer/src/views/studio/live-progress';
import {
  isMakeComicKey,
  MAX_COMIC_PHOTOS,
  makeComicBlocked,
  makeComicLabel,
  makeComicMenuItem,
  makeComicShortcut,
} from '../../src/renderer/src/views/studio/make-comic';
import {
  includedCount,
  moveReference,
  privacyLine,
  referencesRequest,
  removeReference,
  toggleReference,
} from '../../src/renderer/src/views/studio/references';
import { defaultVersionId, versionTree } from '../../src/renderer/src/views/studio/version-tree';
import type { ComicReference, ComicVersion, Photo } from '../../src/shared/model';

function photo(id: number): Photo {
  return {
    id,
    hash: `h${id}`,
    folderId: 1,
    name: `${id}.jpg`,
    path: `/p/${id}.jpg`,
    size: 1,
    width: 10,
    height: 10,
    date: 0,
    takenAt: null,
    thumb: `thumbs/${id}.webp`,
    preview: null,
    original: `folder/1/${id}.jpg`,
  };
}

function refs(...ids: number[]): ComicReference[] {
  return ids.map((id) => ({ photo: photo(id), included: true }));
}

function version(id: number, parentId: number | null, state: ComicVersion['state'] = 'done'): ComicVersion {
  return {
    id,
    parentId,
    prompt: `prompt ${id}`,
    state,
    error: null,
    image: state === 'done' ? `studio/${id}.png` : null,
    engine: 'openai-responses',
    model: 'gpt-6-luna',
    imageModel: 'gpt-image-2.6-sunburst',
    region: null,
    tokens: 100,
    costUsd: 0.04,
    createdAt: 1000 + id,
    fix: null,
  };
}

const key = (
  k: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('Make comic', () => {
  it('allows 1 to 16 photos and says why otherwise', () => {
    expect(makeComicBlocked(1)).toBeNull();
    expect(makeComicBlocked(MAX_COMIC_PHOTOS)).toBeNull();
    expect(makeComicBlocked(0)).toMatch(/Select/);
    expect(makeComicBlocked(17)).toBe('A comic takes at most 16 photos; 17 are selected. Select fewer.');
  });

  it('names the photos and the shortcut in the menu label', () => {
    expect(makeComicLabel(1, 'Ctrl+M')).toBe('Make comic from this photo (Ctrl+M)');
    expect(makeComicLabel(3, 'Ctrl+M')).toBe('Make comic from 3 photos (Ctrl+M)');
    expect(makeComicLabel(40, 'Ctrl+M')).toBe('Make comic (at most 16 photos)');
    expect(makeComicShortcut('MacIntel')).toBe('⌘⇧M');
    expect(makeComicShortcut('Linux x86_64')).toBe('Ctrl+M');
  });

  it('takes Ctrl+M and Cmd+Shift+M, leaving Cmd+M to the system', () => {
    expect(isMakeComicKey(key('m', { ctrlKey: true }))).toBe(true);
    expect(isMakeComicKey(key('M', { metaKey: true, shiftKey: true }))).toBe(true);
    expect(isMakeComicKey(key('m', { metaKey: true }))).toBe(false);
    expect(isMakeComicKey(key('m'))).toBe(false);
    expect(isMakeComicKey(key('m', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isMakeComicKey(key('n', { ctrlKey: true }))).toBe(false);
  });

  it('menu item hands every selected id to the Studio view', async () => {
    const calls: unknown[] = [];
    const context = {
      photo: photo(7),
      index: 0,
      selectedCount: 3,
      selectedIds: async () => [7, 8, 9],
      openLightbox: () => {},
      select: () => {},
      navigate: (view: string, params?: unknown) => calls.push([view, params]),
    };
    expect(makeComicMenuItem.isEnabled?.(context)).toBe(true);
    expect(makeComicMenuItem.isEnabled?.({ ...context, selectedCount: 17 })).toBe(false);
    makeComicMenuItem.run(context);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toEqual([['studio', { create: [7, 8, 9] }]]);
  });
});

describe('reference list edits', () => {
  it('moves, toggles and removes without touching the input', () => {
    const list = refs(1, 2, 3, 4);
    expect(moveReference(list, 0, 2).map((r) => r.photo.id)).toEqual([2, 3, 1, 4]);
    expect(moveReference(list, 3, 0).map((r) => r.photo.id)).toEqual([4, 1, 2, 3]);
    expect(moveReference(list, 1, 99).map((r) => r.photo.id)).toEqual([1, 3, 4, 2]);
    expect(moveReference(list, 1, -5).map((r) => r.photo.id)).toEqual([2, 1, 3, 4]);
    const toggled = toggleReference(list, 2);
    expect(toggled.map((r) => r.included)).toEqual([true, false, true, true]);
    expect(includedCount(toggled)).toBe(3);
    expect(removeReference(list, 3).map((r) => r.photo.id)).toEqual([1, 2, 4]);
    expect(list.map((r) => r.photo.id)).toEqual([1, 2, 3, 4]);
    expect(referencesRequest(toggled)).toEqual([
      { photoId: 1, included: true },
      { photoId: 2, included: false },
      { photoId: 3, included: true },
      { photoId: 4, included: true },
    ]);
  });

  it('states what leaves the machine with the real numbers', () => {
    expect(privacyLine(3, 1536)).toBe(
      'Only the 3 included photos are sent to OpenAI, downscaled to 1536 px and without location or camera data.',
    );
    expect(privacyLine(1, 1024)).toBe(
      'Only the 1 included photo is sent to OpenAI, downscaled to 1024 px and without location or camera data.',
    );
  });
});

describe('version tree', () => {
  it('puts refinements under what they refine and marks branches "from vN"', () => {
    // v1 -> v2 -> v3, then v4 refines v1 again (a branch), v5 is a new first drawing.
    const versions = [
      version(1, null),
      version(2, 1),
      version(3, 2),
      version(4, 1),
      version(5, null, 'failed'),
    ];
    const tree = versionTree([...versions].reverse());
    expect(tree.map((n) => [n.number, n.depth, n.parentNumber, n.branch])).toEqual([
      [1, 0, null, false],
      [2, 1, 1, false],
      [3, 2, 2, false],
      [4, 1, 1, true],
      [5, 0, null, false],
    ]);
  });

  it('keeps a version whose parent is unknown as a root', () => {
    const tree = versionTree([version(1, null), version(2, 99)]);
    expect(tree.map((n) => [n.number, n.depth, n.parentNumber])).toEqual([
      [1, 0, null],
      [2, 0, null],
    ]);
  });

  it('opens on the newest finished version', () => {
    expect(defaultVersionId([version(1, null), version(2, 1), version(3, 2, 'failed')])).toBe(2);
    expect(defaultVersionId([version(1, null, 'failed')])).toBe(1);
    expect(defaultVersionId([])).toBeNull();
  });
});

describe('live drawing progress', () => {
  const event = (over: Partial<ProgressEvent>): ProgressEvent => ({
    sessionId: 5,
    versionId: 11,
    state: 'generating',
    partial: null,
    elapsedMs: 0,
    retryInSeconds: null,
    error: null,
    ...over,
  });

  it('follows partial images, keeps the last one at the end and ignores other comics', () => {
    let live: LiveProgress = new Map();
    live = applyProgress(live, event({ elapsedMs: 2000, partial: 'studio/5/p1.png' }), 5, 10_000);
    expect(live.get(11)).toMatchObject({ partial: 'studio/5/p1.png', startedAt: 8000 });
    const other = applyProgress(live, event({ sessionId: 6, partial: 'x' }), 5, 10_500);
    expect(other).toBe(live);
    live = applyProgress(live, event({ state: 'done', elapsedMs: 4000 }), 5, 12_000);
    expect(live.get(11)).toMatchObject({ state: 'done', partial: 'studio/5/p1.png', elapsedMs: 4000 });
  });

  it('counts a retry down from when it was announced', () => {
    const live = applyProgress(new Map(), event({ retryInSeconds: 8 }), 5, 1000);
    const v = live.get(11)!;
    expect(retrySecondsLeft(v, 1000)).toBe(8);
    expect(retrySecondsLeft(v, 3500)).toBe(6);
    expect(retrySecondsLeft(v, 60_000)).toBe(0);
    const cleared = applyProgress(live, event({ partial: 'p' }), 5, 9000).get(11)!;
    expect(retrySecondsLeft(cleared, 9000)).toBeNull();
  });

  it('formats time, tokens and cost the way people read them', () => {
    expect(formatElapsed(7_400)).toBe('0:07');
    expect(formatElapsed(92_000)).toBe('1:32');
    expect(formatCost(0.0412)).toBe('$0.04');
    expect(formatCost(0.004)).toBe('less than $0.01');
    expect(formatCost(null)).toBe('cost unknown');
    expect(formatTokens(12345, 'en-US')).toBe('12,345 tokens');
    expect(formatTokens(null)).toBe('tokens unknown');
  });
});

describe('panel cuts', () => {
  const page = { width: 1536, height: 1024 };
  const panel = { x: 10, y: 10, width: 500, height: 1000 };

  it('moves one edge and keeps the opposite one', () => {
    expect(moveEdge(panel, 'left', 100, page)).toEqual({ x: 100, y: 10, width: 410, height: 1000 });
    expect(moveEdge(panel, 'right', 700.4, page)).toEqual({ x: 10, y: 10, width: 690, height: 1000 });
    expect(moveEdge(panel, 'top', -50, page)).toEqual({ x: 10, y: 0, width: 500, height: 1010 });
    expect(moveEdge(panel, 'bottom', 5000, page)).toEqual({ x: 10, y: 10, width: 500, height: 1014 });
  });

  it('never lets an edge cross the other or the panel collapse', () => {
    const crossed = moveEdge(panel, 'left', 900, page);
    expect(crossed.width).toBe(MIN_PANEL_SIDE);
    expect(crossed.x + crossed.width).toBe(510);
    expect(moveEdge(panel, 'bottom', 0, page).height).toBe(MIN_PANEL_SIDE);
  });

  it('keeps typed numbers inside the page', () => {
    expect(setField(panel, 'x', 1500, page)).toEqual({ x: 1500, y: 10, width: 36, height: 1000 });
    expect(setField(panel, 'width', Number.NaN, page)).toBe(panel);
    expect(clampRect({ x: -3, y: 2.6, width: 9999, height: 4 }, page)).toEqual({
      x: 0,
      y: 3,
      width: 1536,
      height: MIN_PANEL_SIDE,
    });
  });

  it('maps a pointer over the scaled page to page pixels', () => {
    const box = { left: 100, top: 50, width: 768, height: 512 };
    expect(toPagePoint({ x: 484, y: 306 }, box, page)).toEqual({ x: 768, y: 512 });
  });

  it('tells adjusted cuts from detected ones', () => {
    expect(sameRects([panel], [{ ...panel }])).toBe(true);
    expect(sameRects([panel], [{ ...panel, x: 11 }])).toBe(false);
  });
});

describe('export choices', () => {
  it('needs a format and a folder, and panel cuts only when panels are written', () => {
    const base = {
      formats: new Set(['panels'] as const),
      folder: '/tmp/out',
      pdfSize: 'A4' as const,
      pdfPerPanel: false,
    };
    expect(exportProblem(base)).toBeNull();
    expect(exportProblem({ ...base, formats: new Set() })).toMatch(/format/);
    expect(exportProblem({ ...base, folder: '  ' })).toMatch(/folder/);
    expect(needsPanels(base)).toBe(true);
    expect(needsPanels({ formats: new Set(['pdf']), pdfPerPanel: false })).toBe(false);
    expect(needsPanels({ formats: new Set(['pdf']), pdfPerPanel: true })).toBe(true);
  });

  it("recognises the core's refusal to replace files by the error's name, from either shell", () => {
    const named = (name: string, text: string) => Object.assign(new Error(text), { name });
    expect(
      isExportConflict(named('ExportConflictError', 'Not exported: 2 files already exist in /tmp/out')),
    ).toBe(true);
    expect(isExportConflict(named('Error', 'Could not create the folder /x (EACCES).'))).toBe(false);
    expect(isExportConflict('Not exported: a file already exists in /x')).toBe(false);
    // What browser mode's transport builds from a 409 body.
    const body = {
      error: { name: 'ExportConflictError', message: 'Not exported: a file already exists in /x (a.png).' },
    };
    const fromHttp = errorFromBody(body, 409, 'studio:export');
    expect(isExportConflict(fromHttp)).toBe(true);
    expect(fromHttp.message).toBe(body.error.message);
  });
});
