/**
 * What the gallery benchmark runs inside the page (plain JavaScript, given to the page as a
 * string so no build helper leaks into it): steady scrolling by a fixed number of pixels per
 * animation frame with every frame's duration recorded, and the wait until every tile in view
 * shows its loaded thumbnail.
 */
export const PAGE_SCRIPT = `
window.__bench = (() => {
  const scroller = () => document.querySelector('.gallery-scroll');
  const frame = () => new Promise((r) => requestAnimationFrame(r));

  /** Every grid cell in the viewport has a loaded image (and there is at least one). */
  function filled() {
    const root = scroller();
    if (!root) return false;
    const view = root.getBoundingClientRect();
    let seen = 0;
    for (const cell of root.querySelectorAll('[role=gridcell]')) {
      const r = cell.getBoundingClientRect();
      if (r.bottom <= view.top || r.top >= view.bottom) continue;
      seen++;
      const img = cell.querySelector('img');
      if (!img || !img.complete || img.naturalWidth === 0) return false;
    }
    return seen > 0;
  }

  return {
    /** Scroll height and viewport height of the gallery. */
    size() {
      const root = scroller();
      return { height: root.scrollHeight, view: root.clientHeight, top: root.scrollTop };
    },
    /** Scrolls by px every frame for n frames; resolves with the frame durations (ms). */
    async scrollSteady(px, n) {
      const root = scroller();
      const deltas = [];
      let last = await frame();
      for (let i = 0; i < n; i++) {
        root.scrollTop = root.scrollTop + px;
        const now = await frame();
        deltas.push(now - last);
        last = now;
        if (root.scrollTop + root.clientHeight >= root.scrollHeight - 1) break;
      }
      return { deltas, top: root.scrollTop, atEnd: root.scrollTop + root.clientHeight >= root.scrollHeight - 1 };
    },
    /** Sets the scroll position (a scrollbar drag released there); resolves like untilFilled. */
    jump(top, timeoutMs) {
      scroller().scrollTop = top;
      return this.untilFilled(timeoutMs);
    },
    /** Ms from now until every tile in view shows its thumbnail (null after timeoutMs). */
    async untilFilled(timeoutMs) {
      const start = performance.now();
      while (performance.now() - start < timeoutMs) {
        if (filled()) return performance.now() - start;
        await frame();
      }
      return null;
    },
  };
})();
`;
