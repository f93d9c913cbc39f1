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
      // A tile's thumbnail: a canvas once its image is in it (decision 0060), or an img loaded.
      const image = cell.querySelector('.tile-image');
      if (!image) return false;
      if (image.tagName === 'CANVAS' ? image.dataset.state !== 'shown' : !image.complete || image.naturalWidth === 0)
        return false;
    }
    return seen > 0;
  }

  let stoppedAt = 0;

  /** Why the tiles in view are not all filled: how many are in each state. */
  function unfilled() {
    const root = scroller();
    const view = root.getBoundingClientRect();
    const counts = { noPhoto: 0, noImage: 0, waiting: 0, broken: 0, shown: 0 };
    for (const cell of root.querySelectorAll('[role=gridcell]')) {
      const r = cell.getBoundingClientRect();
      if (r.bottom <= view.top || r.top >= view.bottom) continue;
      const image = cell.querySelector('.tile-image');
      if (cell.classList.contains('tile-loading')) counts.noPhoto++;
      else if (!image) counts.noImage++;
      else if (image.classList.contains('is-broken')) counts.broken++;
      else if (image.dataset.state === 'shown') counts.shown++;
      else counts.waiting++;
    }
    return counts;
  }
  let shownAt = [];
  let decodes = [];

  return {
    /** BENCH_TRACE: keeps every request's timing and notes when each tile's thumbnail goes on screen. */
    traceShown() {
      performance.setResourceTimingBufferSize(100000);
      // When each tile's decode was asked for and when it resolved (createImageBitmap, 0060).
      const decode = window.createImageBitmap.bind(window);
      window.createImageBitmap = (...args) => {
        const entry = { start: performance.now(), end: 0 };
        decodes.push(entry);
        return decode(...args).then((bitmap) => { entry.end = performance.now(); return bitmap; });
      };
      new MutationObserver((records) => {
        const now = performance.now();
        for (const r of records) if (r.target.dataset?.state === 'shown') shownAt.push(now);
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
    },
    /**
     * Where the time of the last fill went (BENCH_TRACE): from the stop to the first and last
     * thumbnail request start, requests still in flight at the stop, how long they took
     * (request start to response end), photos:list requests, and the fill time itself.
     */
    anatomy(filledMs) {
      const entries = performance.getEntriesByType('resource');
      performance.clearResourceTimings();
      const shown = shownAt.filter((t) => t >= stoppedAt);
      shownAt = [];
      const decoded = decodes.filter((d) => d.start >= stoppedAt && d.end > 0);
      decodes = [];
      const media = entries.filter((e) => e.name.includes('/media/'));
      const tiles = media.reduce((n, e) => n + (e.name.match(/[?&]path=/g)?.length ?? 1), 0);
      const lists = entries.filter((e) => e.name.includes('photos:list') && e.responseEnd > stoppedAt);
      const after = media.filter((e) => e.startTime >= stoppedAt);
      const during = media.filter((e) => e.startTime < stoppedAt && e.responseEnd > stoppedAt);
      const rel = (t) => Math.round(t - stoppedAt);
      const took = after.map((e) => e.responseEnd - e.startTime).sort((a, b) => a - b);
      const waited = after.map((e) => (e.responseStart || e.responseEnd) - e.startTime).sort((a, b) => a - b);
      const med = (f) => {
        const v = after.map(f).sort((a, b) => a - b);
        return v.length ? Math.round(v[v.length >> 1]) : null;
      };
      return {
        filled: Math.round(filledMs),
        requests: after.length,
        thumbnails: tiles,
        inFlightAtStop: during.length,
        startedDuringScroll: media.length - after.length,
        firstStart: after.length ? rel(Math.min(...after.map((e) => e.startTime))) : null,
        lastStart: after.length ? rel(Math.max(...after.map((e) => e.startTime))) : null,
        lastEnd: after.length ? rel(Math.max(...after.map((e) => e.responseEnd))) : null,
        tookMedian: took.length ? Math.round(took[took.length >> 1]) : null,
        ttfbMedian: waited.length ? Math.round(waited[waited.length >> 1]) : null,
        queuedMedian: med((e) => e.requestStart - e.startTime),
        serverMedian: med((e) => e.responseStart - e.requestStart),
        bodyMedian: med((e) => e.responseEnd - e.responseStart),
        shown: shown.length ? rel(Math.min(...shown)) + '..' + rel(Math.max(...shown)) + ' n' + shown.length : '',
        decodes: decoded.length
          ? rel(Math.min(...decoded.map((d) => d.start))) + '..' + rel(Math.max(...decoded.map((d) => d.end))) +
            ' n' + decoded.length + ' median ' + Math.round(decoded.map((d) => d.end - d.start).sort((a, b) => a - b)[decoded.length >> 1])
          : '',
        ends: after.map((e) => rel(e.responseEnd)).sort((a, b) => a - b).join(' '),
        lists: lists.map((e) => rel(e.startTime) + '..' + rel(e.responseEnd)).join(' '),
      };
    },
    unfilled,
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
      stoppedAt = performance.now();
      console.timeStamp('bench-stop'); // marks for BENCH_PROFILE's trace
      return { deltas, top: root.scrollTop, atEnd: root.scrollTop + root.clientHeight >= root.scrollHeight - 1 };
    },
    /** Sets the scroll position (a scrollbar drag released there); resolves like untilFilled. */
    jump(top, timeoutMs) {
      scroller().scrollTop = top;
      stoppedAt = performance.now();
      console.timeStamp('bench-stop'); // marks for BENCH_PROFILE's trace
      return this.untilFilled(timeoutMs);
    },
    /** Ms from now until every tile in view shows its thumbnail (null after timeoutMs). */
    async untilFilled(timeoutMs) {
      const start = performance.now();
      while (performance.now() - start < timeoutMs) {
        if (filled()) {
          console.timeStamp('bench-filled');
          return performance.now() - start;
        }
        await frame();
      }
      return null;
    },
  };
})();
`;
