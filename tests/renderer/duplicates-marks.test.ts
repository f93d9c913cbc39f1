import { describe, expect, it } from 'vitest';
import {
  choose,
  groupsLosingEveryCopy,
  groupTitle,
  isMarked,
  type MarkChoices,
  markedIds,
  summary,
  trashQuestion,
} from '../../src/renderer/src/views/duplicates/duplicate-marks';
import type { DuplicateGroup, Photo } from '../../src/shared/model';

function photo(id: number, score = 1): Photo & { score: number } {
  return {
    id,
    hash: `h${id}`,
    folderId: 1,
    name: `p${id}.jpg`,
    path: `/p/p${id}.jpg`,
    size: 1000 * id,
    width: 10,
    height: 10,
    date: 0,
    takenAt: null,
    thumb: null,
    preview: null,
    original: `folder/1/p${id}.jpg`,
    score,
  };
}

const exact: DuplicateGroup = { kind: 'exact', photos: [photo(1), photo(2), photo(3)], keepId: 2 };
const near: DuplicateGroup = { kind: 'near', photos: [photo(10), photo(11, 0.95)], keepId: 10 };
const none: MarkChoices = new Map();

describe('which copies go to the Trash', () => {
  it('marks every copy but the suggested one at first', () => {
    expect(markedIds([exact, near], none).sort((a, b) => a - b)).toEqual([1, 3, 11]);
    expect(isMarked(exact, 2, none)).toBe(false);
  });

  it("follows the user's ticks, which survive new groups from another threshold", () => {
    let choices = choose(none, 1, false);
    choices = choose(choices, 2, true);
    expect(markedIds([exact], choices).sort((a, b) => a - b)).toEqual([2, 3]);
    // The same photos in a reloaded group keep the user's choice.
    const reloaded: DuplicateGroup = { ...exact, photos: [...exact.photos] };
    expect(markedIds([reloaded, near], choices).sort((a, b) => a - b)).toEqual([2, 3, 11]);
    // choose() never changes the map it was given.
    expect(none.size).toBe(0);
  });

  it('warns about groups where every copy would go', () => {
    const all = choose(none, 2, true);
    expect(groupsLosingEveryCopy([exact, near], all)).toEqual([exact]);
    expect(groupsLosingEveryCopy([exact, near], none)).toEqual([]);
  });
});

describe('words', () => {
  it('labels exact and near groups differently', () => {
    expect(groupTitle(exact)).toBe('Same file in 3 places');
    expect(groupTitle(near)).toBe('Look alike');
  });

  it('counts groups and the copies that could go, and asks in the singular or plural', () => {
    expect(summary([exact, near])).toEqual({ exact: 1, near: 1, extra: 3 });
    expect(trashQuestion(1)).toBe('Move 1 file to the Trash?');
    expect(trashQuestion(4)).toBe('Move 4 files to the Trash?');
  });
});
