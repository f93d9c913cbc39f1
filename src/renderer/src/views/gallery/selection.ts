/**
 * The gallery selection, as plain immutable values. "Select all" over 100,000 photos is a
 * flag plus the ids the user then deselected, never a materialised list of every id.
 * Ids (not gallery indices) are stored so a refresh that shifts positions keeps the choice;
 * the anchor is a gallery index because Shift-click ranges are in gallery order.
 */
export interface Selection {
  /** false: `ids` are the selected photos. true: every photo except `ids` is selected. */
  readonly all: boolean;
  readonly ids: ReadonlySet<number>;
  /** Gallery index where the last plain or Ctrl/Cmd click happened: one end of Shift ranges. */
  readonly anchor: number | null;
}

export const emptySelection: Selection = Object.freeze({ all: false, ids: new Set<number>(), anchor: null });

export function isSelected(selection: Selection, id: number): boolean {
  return selection.all ? !selection.ids.has(id) : selection.ids.has(id);
}

/** Number of selected photos out of `total` in the gallery. */
export function selectedCount(selection: Selection, total: number): number {
  return selection.all ? Math.max(0, total - selection.ids.size) : selection.ids.size;
}

export function selectOnly(id: number, index: number): Selection {
  return { all: false, ids: new Set([id]), anchor: index };
}

export function toggle(selection: Selection, id: number, index: number): Selection {
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { all: selection.all, ids, anchor: index };
}

/** Gallery index range [from, to] (inclusive) between the anchor and `index`. */
export function rangeBounds(selection: Selection, index: number): [number, number] {
  const anchor = selection.anchor ?? index;
  return anchor <= index ? [anchor, index] : [index, anchor];
}

/**
 * Shift-click: `rangeIds` are the ids of every photo in rangeBounds(selection, index).
 * Plain Shift replaces the selection with the range; Ctrl/Cmd+Shift adds the range.
 * The anchor stays put so successive Shift-clicks pivot around it, as in every file manager.
 */
export function selectRange(
  selection: Selection,
  rangeIds: readonly number[],
  index: number,
  additive: boolean,
): Selection {
  const anchor = selection.anchor ?? index;
  if (!additive) return { all: false, ids: new Set(rangeIds), anchor };
  const ids = new Set(selection.ids);
  for (const id of rangeIds) {
    if (selection.all) ids.delete(id);
    else ids.add(id);
  }
  return { all: selection.all, ids, anchor };
}

export function selectAll(selection: Selection): Selection {
  return { all: true, ids: new Set(), anchor: selection.anchor };
}

export function clearSelection(): Selection {
  return emptySelection;
}

/** Adds one photo without deselecting the others (context menu "Select"). */
export function addToSelection(selection: Selection, id: number, index: number): Selection {
  if (isSelected(selection, id)) return { ...selection, anchor: index };
  return toggle(selection, id, index);
}

/** What a click without Shift does (toggleKey: Ctrl on Windows/Linux, Cmd on macOS); Shift clicks need range ids and go through selectRange. */
export function clickWithoutRange(
  selection: Selection,
  id: number,
  index: number,
  toggleKey: boolean,
): Selection {
  return toggleKey ? toggle(selection, id, index) : selectOnly(id, index);
}

/**
 * The selected ids in gallery order, given every id in gallery order (only needed when the
 * selection is "all"; callers that already know the ids can read selection.ids).
 */
export function resolveSelectedIds(selection: Selection, idsInOrder: readonly number[]): number[] {
  return idsInOrder.filter((id) => isSelected(selection, id));
}
