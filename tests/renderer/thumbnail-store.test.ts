import { describe, expect, it } from 'vitest';
import { ThumbnailStore } from '../../src/renderer/src/views/gallery/thumbnail-store';

/** A thumbnail server in memory: each batch waits until the test answers it. */
function server() {
  const batches: { paths: string[]; signal: AbortSignal; answer: (fail?: boolean) => void }[] = [];
  const fetchThumbnails = (paths: string[], signal: AbortSignal) =>
    new Promise<(Uint8Array | null)[]>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')));
      batches.push({
        paths,
        signal,
        answer: (fail = false) =>
          fail
            ? reject(new Error('offline'))
            : resolve(paths.map((p) => (p.includes('missing') ? null : bytesOf(p)))),
      });
    });
  return { batches, fetchThumbnails };
}
const bytesOf = (path: string) => new TextEncoder().encode(`${path}:${'x'.repeat(90)}`);
const tick = () => new Promise((r) => setTimeout(r, 5));
const settle = async () => {
  for (let i = 0; i < 4; i++) await tick();
};

describe('ThumbnailStore', () => {
  it('spreads the tiles in view over the free slots, and sends the rows ahead only after them', async () => {
    const s = server();
    const store = new ThumbnailStore(s.fetchThumbnails, { maxInFlight: 4, minBatch: 4 });
    const got: string[] = [];
    for (let i = 0; i < 6; i++) store.want(`ahead/${i}`, false, () => got.push(`ahead/${i}`));
    for (let i = 0; i < 40; i++) store.want(`view/${i}`, true, () => got.push(`view/${i}`));
    await tick();
    expect(s.batches.map((b) => b.paths.length)).toEqual([10, 10, 10, 10]);
    expect(s.batches.flatMap((b) => b.paths).every((p) => p.startsWith('view/'))).toBe(true);
    for (const b of s.batches.slice(0, 3)) b.answer();
    await settle();
    // One batch in view is still on its way: the rows ahead still wait.
    expect(s.batches).toHaveLength(4);
    s.batches[3]!.answer();
    await settle();
    expect(s.batches.slice(4).flatMap((b) => b.paths)).toEqual([
      'ahead/0',
      'ahead/1',
      'ahead/2',
      'ahead/3',
      'ahead/4',
      'ahead/5',
    ]);
    for (const b of s.batches.slice(4)) b.answer();
    await settle();
    expect(got.slice(0, 40).every((p) => p.startsWith('view/'))).toBe(true);
    expect(got).toHaveLength(46);
  });

  it('answers a thumbnail it holds at once, with the same bytes, without asking the server', async () => {
    const s = server();
    const store = new ThumbnailStore(s.fetchThumbnails);
    let first: Blob | null = null;
    store.want('a', true, (blob) => {
      first = blob;
    });
    await tick();
    s.batches[0]!.answer();
    await settle();
    let again: Blob | null = null;
    store.want('a', true, (blob) => {
      again = blob;
    });
    expect(again).toBe(first);
    expect(new TextDecoder().decode(await (again as unknown as Blob).arrayBuffer())).toBe(
      new TextDecoder().decode(bytesOf('a')),
    );
    expect(s.batches).toHaveLength(1);
  });

  it('asks nothing for a tile that left before its batch was sent', async () => {
    const s = server();
    const store = new ThumbnailStore(s.fetchThumbnails);
    const withdraw = store.want('gone', true, () => {
      throw new Error('a tile that left must not be called');
    });
    store.want('stays', true, () => {});
    withdraw();
    await tick();
    expect(s.batches.flatMap((b) => b.paths)).toEqual(['stays']);
    expect(store.queued).toBe(0);
  });

  it('cancels a batch once no tile waits for it, and a tile asking again gets a fresh request', async () => {
    const s = server();
    const store = new ThumbnailStore(s.fetchThumbnails, { maxInFlight: 1 });
    const leaving = [store.want('p/1', true, () => {}), store.want('p/2', true, () => {})];
    await tick();
    expect(s.batches[0]!.paths).toEqual(['p/1', 'p/2']);
    leaving[0]!();
    expect(s.batches[0]!.signal.aborted).toBe(false); // p/2 still wanted
    leaving[1]!();
    expect(s.batches[0]!.signal.aborted).toBe(true);
    let back: Blob | null = null;
    store.want('p/1', true, (blob) => {
      back = blob;
    });
    await settle();
    expect(s.batches).toHaveLength(2);
    s.batches[1]!.answer();
    await settle();
    expect(back).not.toBeNull();
  });

  it('tells the tile when a thumbnail is not served or the request failed, and asks again later', async () => {
    const s = server();
    const store = new ThumbnailStore(s.fetchThumbnails);
    const answers: (Blob | null)[] = [];
    store.want('missing', true, (blob) => answers.push(blob));
    store.want('b', true, (blob) => answers.push(blob));
    await tick();
    s.batches[0]!.answer(true);
    await settle();
    expect(answers).toEqual([null, null]);
    store.want('b', true, (blob) => answers.push(blob));
    await tick();
    expect(s.batches).toHaveLength(2);
  });

  it('gives up a batch that is never answered, so its slot serves the next tiles', async () => {
    const s = server();
    const store = new ThumbnailStore(s.fetchThumbnails, { maxInFlight: 1, batchTimeoutMs: 50 });
    const answers: (Blob | null)[] = [];
    store.want('stalled', true, (blob) => answers.push(blob));
    await tick();
    store.want('next', true, (blob) => answers.push(blob));
    await tick();
    // The one slot is held by the stalled batch: the next tile waits behind it.
    expect(s.batches.map((b) => b.paths)).toEqual([['stalled']]);
    for (let i = 0; i < 100 && s.batches.length < 2; i++) await new Promise((r) => setTimeout(r, 2));
    s.batches[1]?.answer(); // answered at once, well within its own time
    expect(s.batches[0]!.signal.aborted).toBe(true);
    expect(s.batches.map((b) => b.paths)).toEqual([['stalled'], ['next']]);
    await settle();
    expect(answers).toHaveLength(2);
    expect(answers[0]).toBeNull(); // the stalled tile is told, as for a failed request
    expect(answers[1]).toBeInstanceOf(Blob);
  });

  it('keeps at most maxBytes of thumbnails, dropping those used longest ago', async () => {
    const s = server();
    const size = bytesOf('t/00').length;
    const store = new ThumbnailStore(s.fetchThumbnails, {
      maxBytes: size * 10,
      maxInFlight: 1,
      maxBatch: 64,
    });
    for (let i = 0; i < 30; i++) store.want(`t/${String(i).padStart(2, '0')}`, true, () => {});
    await tick();
    s.batches[0]!.answer();
    await settle();
    expect(store.bytes).toBeLessThanOrEqual(size * 10);
    let asked = s.batches.length;
    store.want('t/29', true, () => {});
    await tick();
    expect(s.batches).toHaveLength(asked); // recent: still held
    store.want('t/00', true, () => {});
    await tick();
    asked++;
    expect(s.batches).toHaveLength(asked); // oldest: dropped, asked again
  });
});
