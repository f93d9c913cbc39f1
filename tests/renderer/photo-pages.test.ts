import { describe, expect, it } from 'vitest';
import { PhotoPages } from '../../src/renderer/src/views/gallery/photo-pages';
import type { Photo, PhotoPage } from '../../src/shared/model';

function photo(id: number): Photo {
  return {
    id,
    hash: `h${id}`,
    folderId: 1,
    name: `p${id}.jpg`,
    path: `/photos/p${id}.jpg`,
    size: 1000,
    width: 10,
    height: 10,
    date: 1_700_000_000_000 - id,
    takenAt: null,
    thumb: null,
    preview: null,
    original: `folder/1/p${id}.jpg`,
  };
}

/** A library in memory answering photos:list the way the core does (offset/limit, newest first). */
function library(count: number) {
  let photos = Array.from({ length: count }, (_, i) => photo(i + 1));
  const requests: number[] = [];
  return {
    requests,
    prepend(n: number) {
      const first = photos[0]!.id;
      photos = [...Array.from({ length: n }, (_, i) => photo(first + 1000 + i)), ...photos];
    },
    fetch: async (offset: number, limit: number): Promise<PhotoPage> => {
      requests.push(offset);
      await new Promise((resolve) => setImmediate(resolve));
      return { total: photos.length, offset, items: photos.slice(offset, offset + limit) };
    },
  };
}

describe('photo pages', () => {
  it('fetches only the pages overlapping the rows in view, once each', async () => {
    const lib = library(1000);
    const pages = new PhotoPages(lib.fetch, 100);
    expect(pages.get(250)).toBeUndefined();
    await Promise.all([pages.ensure(250, 420), pages.ensure(300, 310)]);
    expect(lib.requests.sort((a, b) => a - b)).toEqual([200, 300, 400]);
    expect(pages.get(250)?.id).toBe(251);
    expect(pages.get(420)?.id).toBe(421);
    expect(pages.total).toBe(1000);
    await pages.ensure(200, 499);
    expect(lib.requests).toHaveLength(3);
  });

  it('collects ids across pages for a Shift range, loading missing pages', async () => {
    const lib = library(1000);
    const pages = new PhotoPages(lib.fetch, 100);
    const ids = await pages.idsInRange(95, 305);
    expect(ids).toHaveLength(211);
    expect(ids[0]).toBe(96);
    expect(ids.at(-1)).toBe(306);
    expect(pages.indexOf(150)).toBe(149);
  });

  it('keeps stale pages visible after a change and refetches them on the next ensure', async () => {
    const lib = library(300);
    const pages = new PhotoPages(lib.fetch, 100);
    let notified = 0;
    pages.subscribe(() => notified++);
    await pages.ensure(0, 150);
    lib.prepend(5);
    pages.invalidate();
    expect(pages.get(0)?.id).toBe(1);
    await pages.ensure(0, 150);
    expect(pages.get(0)?.id).toBe(1001);
    expect(pages.get(5)?.id).toBe(1);
    expect(pages.total).toBe(305);
    expect(notified).toBe(4);
  });

  it('evicts the least recently used pages beyond its bound', async () => {
    const lib = library(1000);
    const pages = new PhotoPages(lib.fetch, 100, 3);
    await pages.ensure(0, 0);
    await pages.ensure(100, 100);
    await pages.ensure(200, 200);
    await pages.ensure(0, 0);
    await pages.ensure(300, 300);
    expect(pages.get(0)).toBeDefined();
    expect(pages.get(100)).toBeUndefined();
  });

  it('reports a failed fetch and recovers on the next ensure', async () => {
    let fail = true;
    const lib = library(100);
    const pages = new PhotoPages(async (offset, limit) => {
      if (fail) throw new Error('The library database is locked.');
      return lib.fetch(offset, limit);
    }, 50);
    await pages.ensure(0, 10);
    expect(pages.lastError?.message).toBe('The library database is locked.');
    expect(pages.get(0)).toBeUndefined();
    fail = false;
    await pages.ensure(0, 10);
    expect(pages.lastError).toBeNull();
    expect(pages.get(0)?.id).toBe(1);
  });
});
