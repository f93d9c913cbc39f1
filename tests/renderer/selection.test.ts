import { describe, expect, it } from 'vitest';
import {
  addToSelection,
  clearSelection,
  clickWithoutRange,
  emptySelection,
  isSelected,
  rangeBounds,
  resolveSelectedIds,
  selectAll,
  selectedCount,
  selectOnly,
  selectRange,
  toggle,
} from '../../src/renderer/src/views/gallery/selection';

// Gallery of 10 photos: index i has id 100 + i.
const idAt = (i: number) => 100 + i;
const idsBetween = ([from, to]: [number, number]) =>
  Array.from({ length: to - from + 1 }, (_, k) => idAt(from + k));

describe('gallery selection', () => {
  it('click selects one, Ctrl/Cmd-click toggles', () => {
    let s = clickWithoutRange(emptySelection, idAt(2), 2, false);
    expect(selectedCount(s, 10)).toBe(1);
    s = clickWithoutRange(s, idAt(5), 5, true);
    expect([isSelected(s, idAt(2)), isSelected(s, idAt(5))]).toEqual([true, true]);
    s = clickWithoutRange(s, idAt(2), 2, true);
    expect(isSelected(s, idAt(2))).toBe(false);
    s = clickWithoutRange(s, idAt(7), 7, false);
    expect([...s.ids]).toEqual([idAt(7)]);
  });

  it('Shift-click selects the range from the anchor in gallery order, in both directions', () => {
    let s = selectOnly(idAt(3), 3);
    s = selectRange(s, idsBetween(rangeBounds(s, 6)), 6, false);
    expect([...s.ids].sort()).toEqual([103, 104, 105, 106]);
    // The anchor stays: a second Shift-click pivots around index 3.
    s = selectRange(s, idsBetween(rangeBounds(s, 1)), 1, false);
    expect([...s.ids].sort()).toEqual([101, 102, 103]);
    expect(s.anchor).toBe(3);
  });

  it('Ctrl+Shift adds a range to what is selected', () => {
    let s = selectOnly(idAt(0), 0);
    s = toggle(s, idAt(8), 8);
    s = selectRange(s, idsBetween(rangeBounds(s, 9)), 9, true);
    expect([...s.ids].sort()).toEqual([100, 108, 109]);
  });

  it('select all is a flag, counts against the total and supports deselecting some', () => {
    let s = selectAll(selectOnly(idAt(1), 1));
    expect(s.ids.size).toBe(0);
    expect(selectedCount(s, 100_000)).toBe(100_000);
    s = toggle(s, idAt(4), 4);
    expect(isSelected(s, idAt(4))).toBe(false);
    expect(isSelected(s, idAt(5))).toBe(true);
    expect(selectedCount(s, 100_000)).toBe(99_999);
    s = toggle(s, idAt(4), 4);
    expect(selectedCount(s, 100_000)).toBe(100_000);
    // An additive range in "all" mode re-selects the ids that had been deselected.
    s = toggle(toggle(s, idAt(2), 2), idAt(3), 3);
    s = selectRange(s, idsBetween([2, 3]), 3, true);
    expect(selectedCount(s, 10)).toBe(10);
    expect(resolveSelectedIds(toggle(s, idAt(0), 0), idsBetween([0, 3]))).toEqual([101, 102, 103]);
  });

  it('Escape clears; "Select" from the menu adds without dropping others', () => {
    let s = selectOnly(idAt(1), 1);
    s = addToSelection(s, idAt(2), 2);
    s = addToSelection(s, idAt(2), 2);
    expect(selectedCount(s, 10)).toBe(2);
    s = clearSelection();
    expect(selectedCount(s, 10)).toBe(0);
    expect(s.anchor).toBeNull();
  });
});
