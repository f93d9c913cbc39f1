import { useVirtualizer } from '@tanstack/react-virtual';
import { type MouseEvent, type ReactElement, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../../api/client';
import { useApp } from '../../app-context';
import { ContextMenu } from '../../components/ContextMenu';
import { formatCount } from '../../format';
import { moreLikeTheseIds } from '../similar/similar-menu';
import { makeComicBlocked } from '../studio/make-comic';
import { GalleryEmpty } from './GalleryEmpty';
import { GalleryRow } from './GalleryRow';
import { Lightbox } from './Lightbox';
import { buildLayout, columnsFor, monthLabel, type RowHeights, rowAtOffset, rowOfIndex } from './layout';
import { menuEntriesFor, photoMenuItems } from './photo-menu';
import { PhotoPages } from './photo-pages';
import { SelectionBar } from './SelectionBar';
import {
  addToSelection,
  clearSelection,
  clickWithoutRange,
  emptySelection,
  isSelected,
  rangeBounds,
  type Selection,
  selectAll,
  selectedCount,
  selectOnly,
  selectRange,
} from './selection';
import { useElementWidth } from './use-element-width';
import { useGalleryKeys } from './use-gallery-keys';
import { usePagesInView } from './use-pages-in-view';
import { useReportVisible } from './use-report-visible';
import { useScrollAnchor } from './use-scroll-anchor';
import { useTimeline } from './use-timeline';

const GAP = 4;
const HEADER_HEIGHT = 52;
const PAGE_SIZE = 200;
const TILE_SIZES = { min: 96, max: 320, initial: 168 };
const TILE_SIZE_KEY = 'komorebi.tileSize';

function initialTileSize(): number {
  const stored = Number(localStorage.getItem(TILE_SIZE_KEY));
  return stored >= TILE_SIZES.min && stored <= TILE_SIZES.max ? stored : TILE_SIZES.initial;
}

export function GalleryView({ active }: { active: boolean }): ReactElement {
  const { status, navigate } = useApp();
  const rootRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(scrollRef);
  const [tileMin, setTileMin] = useState(initialTileSize);

  const pages = useMemo(
    () => new PhotoPages((offset, limit) => api['photos:list']({ offset, limit }), PAGE_SIZE),
    [],
  );
  const [, setPagesVersion] = useState(0);
  useEffect(() => pages.subscribe(() => setPagesVersion((v) => v + 1)), [pages]);
  const [generation, setGeneration] = useState(0);
  const { timeline, error: timelineError } = useTimeline(() => {
    pages.invalidate();
    setGeneration((g) => g + 1);
  });

  const columns = columnsFor(width, tileMin, GAP);
  const tileSize = width > 0 ? Math.floor((width - GAP * (columns - 1)) / columns) : tileMin;
  const layout = useMemo(() => buildLayout(timeline?.months ?? [], columns), [timeline, columns]);
  const heights = useMemo<RowHeights>(() => ({ header: HEADER_HEIGHT, photos: tileSize + GAP }), [tileSize]);
  const total = layout.total;

  // A new identity whenever the layout or row height changes makes the virtualizer recompute
  // every row's offset in the same render (it memoizes on getItemKey).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the dependencies are the point.
  const getItemKey = useCallback((index: number) => index, [layout, heights]);
  const virtualizer = useVirtualizer({
    count: layout.rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (layout.rows[index]?.kind === 'header' ? heights.header : heights.photos),
    getItemKey,
    overscan: 3,
    // How soon after the last scroll event the rows in view ask for their thumbnails.
    isScrollingResetDelay: 40,
  });

  const onScroll = useScrollAnchor(scrollRef, layout, heights);

  const items = virtualizer.getVirtualItems();
  // The month at the top of the viewport, shown in the header once its own header scrolled away.
  const scrollOffset = virtualizer.scrollOffset ?? 0;
  const viewEnd = scrollOffset + (virtualizer.scrollRect?.height ?? 0);
  const topRow =
    scrollOffset > HEADER_HEIGHT ? layout.rows[rowAtOffset(layout, scrollOffset, heights)] : undefined;
  const currentMonth = topRow ? layout.sections[topRow.section]?.key : undefined;
  usePagesInView(pages, layout, items, generation);
  let firstInView = Number.POSITIVE_INFINITY;
  let lastInView = -1;
  for (const item of items) {
    const row = layout.rows[item.index];
    if (row?.kind !== 'photos' || item.end <= scrollOffset || item.start >= viewEnd) continue;
    firstInView = Math.min(firstInView, row.start);
    lastInView = Math.max(lastInView, row.start + row.count - 1);
  }
  // Loaded pages change what is known to be on screen: pages.get() in the hook reads them.
  useReportVisible(
    pages,
    firstInView,
    lastInView,
    virtualizer.isScrolling || pages.get(lastInView) === undefined,
  );

  const [focus, setFocus] = useState(-1);
  // The focus ring shows after keyboard moves only; a click shows the selection instead.
  const [focusVisible, setFocusVisible] = useState(false);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [lightbox, setLightbox] = useState<number | null>(null);
  const [menu, setMenu] = useState<{ x: number; y: number; index: number } | null>(null);
  const count = selectedCount(selection, total);

  const scrollToIndex = useCallback(
    (index: number) => {
      const row = rowOfIndex(layout, index);
      if (row >= 0) virtualizer.scrollToIndex(row, { align: 'auto' });
    },
    [layout, virtualizer],
  );

  const selectRangeTo = useCallback(
    (index: number, additive: boolean) => {
      const [from, to] = rangeBounds(selection, index);
      void pages
        .idsInRange(from, to)
        .then((ids) => setSelection((s) => selectRange(s, ids, index, additive)));
    },
    [pages, selection],
  );

  useEffect(() => {
    if (active) gridRef.current?.focus({ preventScroll: true });
  }, [active]);

  const selectedIdsNow = async () =>
    selection.all
      ? (await pages.idsInRange(0, total - 1)).filter((id) => isSelected(selection, id))
      : [...selection.ids];

  const makeComic = () => void selectedIdsNow().then((ids) => navigate('studio', { create: ids }));

  useGalleryKeys({
    enabled: active && lightbox === null && menu === null,
    rootRef,
    layout,
    focus,
    rowsPerPage: Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / heights.photos) - 1),
    moveFocusTo: (index, extend) => {
      setFocus(index);
      setFocusVisible(true);
      scrollToIndex(index);
      if (extend) selectRangeTo(index, false);
      else if (selection.anchor === null || count === 0) setSelection((s) => ({ ...s, anchor: index }));
    },
    open: (index) => setLightbox(index),
    selectAll: () => setSelection((s) => selectAll(s)),
    clear: () => setSelection(clearSelection()),
    toggleFocused: (index) => {
      const photo = pages.get(index);
      if (photo) setSelection((s) => clickWithoutRange(s, photo.id, index, true));
    },
    findSimilar: () => {
      const focused = pages.get(focus);
      if (count > 1)
        void selectedIdsNow().then((ids) => navigate('similar', { photoIds: moreLikeTheseIds(ids) }));
      else if (count === 1 && !selection.all) navigate('similar', { photoIds: [...selection.ids] });
      else if (focused) navigate('similar', { photoIds: [focused.id] });
    },
    makeComic: () => {
      if (makeComicBlocked(count) === null) makeComic();
    },
    openMenu: (index) => {
      const tile = document.getElementById(`tile-${index}`);
      const box = tile?.getBoundingClientRect();
      if (box) setMenu({ x: box.left + box.width / 2, y: box.top + box.height / 2, index });
    },
  });

  const indexFromEvent = (event: MouseEvent): number | null => {
    const tile = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!tile) return null;
    const index = Number(tile.dataset.index);
    return pages.get(index) ? index : null;
  };

  const onClick = (event: MouseEvent) => {
    const index = indexFromEvent(event);
    if (index === null) {
      if (event.target === gridRef.current || (event.target as HTMLElement).getAttribute('role') === 'row') {
        setSelection(clearSelection());
      }
      return;
    }
    const photo = pages.get(index)!;
    const toggleKey = event.ctrlKey || event.metaKey;
    setFocus(index);
    setFocusVisible(false);
    gridRef.current?.focus({ preventScroll: true });
    if (event.shiftKey) selectRangeTo(index, toggleKey);
    else setSelection((s) => clickWithoutRange(s, photo.id, index, toggleKey));
  };

  const onDoubleClick = (event: MouseEvent) => {
    const index = indexFromEvent(event);
    if (index !== null) setLightbox(index);
  };

  const onContextMenu = (event: MouseEvent) => {
    const index = indexFromEvent(event);
    if (index === null) return;
    event.preventDefault();
    const photo = pages.get(index)!;
    setFocus(index);
    if (!isSelected(selection, photo.id)) setSelection(selectOnly(photo.id, index));
    setMenu({ x: event.clientX, y: event.clientY, index });
  };

  const closeMenu = useCallback(() => setMenu(null), []);
  const menuPhoto = menu ? pages.get(menu.index) : undefined;
  const menuEntries =
    menu && menuPhoto
      ? menuEntriesFor(photoMenuItems, {
          photo: menuPhoto,
          index: menu.index,
          selectedCount: Math.max(1, count),
          selectedIds: selectedIdsNow,
          openLightbox: () => setLightbox(menu.index),
          select: () => setSelection((s) => addToSelection(s, menuPhoto.id, menu.index)),
          navigate,
        })
      : [];

  const closeLightbox = useCallback(
    (lastIndex: number) => {
      setLightbox(null);
      setFocus(lastIndex);
      scrollToIndex(lastIndex);
      gridRef.current?.focus({ preventScroll: true });
    },
    [scrollToIndex],
  );

  const changeTileSize = (size: number) => {
    setTileMin(size);
    localStorage.setItem(TILE_SIZE_KEY, String(size));
  };

  const empty = timeline !== null && total === 0;
  return (
    <div className="gallery" data-testid="gallery" ref={rootRef}>
      <header className="view-header">
        {count > 0 ? (
          <SelectionBar
            count={count}
            allSelected={selection.all && selection.ids.size === 0}
            onSelectAll={() => setSelection((s) => selectAll(s))}
            onClear={() => setSelection(clearSelection())}
            onMakeComic={makeComic}
          />
        ) : (
          <div className="view-title">
            <h1>Gallery</h1>
            {timeline && <span className="muted">{formatCount(total)} photos</span>}
            {currentMonth && <span className="current-month">{monthLabel(currentMonth)}</span>}
          </div>
        )}
        <label className="zoom">
          <span className="visually-hidden">Thumbnail size</span>
          <input
            type="range"
            min={TILE_SIZES.min}
            max={TILE_SIZES.max}
            step={8}
            value={tileMin}
            onChange={(event) => changeTileSize(Number(event.target.value))}
          />
        </label>
      </header>
      {(timelineError || pages.lastError) && (
        <div className="banner banner-error" role="alert">
          {timelineError ?? pages.lastError?.message}
        </div>
      )}
      <div className="gallery-scroll" ref={scrollRef} onScroll={onScroll}>
        {empty ? (
          <GalleryEmpty folders={status?.folders ?? 0} onAddFolder={() => navigate('settings')} />
        ) : (
          // biome-ignore lint/a11y: an ARIA grid with aria-activedescendant (virtualized, not a table); keys are handled in use-gallery-keys.
          <div
            ref={gridRef}
            role="grid"
            tabIndex={0}
            className={focusVisible ? 'gallery-grid show-focus' : 'gallery-grid'}
            aria-label="Photos, newest first"
            aria-multiselectable="true"
            aria-rowcount={layout.rows.length}
            aria-activedescendant={focus >= 0 && pages.get(focus) ? `tile-${focus}` : undefined}
            style={{ height: virtualizer.getTotalSize() }}
            onClick={onClick}
            onDoubleClick={onDoubleClick}
            onContextMenu={onContextMenu}
          >
            {items.map((item) => (
              <GalleryRow
                key={item.key}
                item={item}
                layout={layout}
                pages={pages}
                selection={selection}
                focus={focus}
                tileSize={tileSize}
                gap={GAP}
                scrolling={virtualizer.isScrolling}
                inView={item.end > scrollOffset && item.start < viewEnd}
              />
            ))}
          </div>
        )}
      </div>
      {menu && menuEntries.length > 0 && (
        <ContextMenu x={menu.x} y={menu.y} items={menuEntries} onClose={closeMenu} />
      )}
      {lightbox !== null && (
        <Lightbox
          pages={pages}
          total={total}
          index={lightbox}
          onIndexChange={setLightbox}
          onClose={closeLightbox}
        />
      )}
    </div>
  );
}
