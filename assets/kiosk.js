/* Meeting-room screen: the slide rotation, keys, progress cue and offline notice.
   The current slide lives here, not on the server, so a data refresh never moves it.

   A slide marked data-pageable holds all its rows (class kiosk-item); here they are cut into
   pages that fit this screen, each row whole on one page, and every page is a step of the
   rotation ("Bảng xếp hạng … (2/3)"). Pages are measured again when the slides change or the
   window is resized: nothing shrinks and nothing is left out, whatever the display. */
window.tthcKiosk = (function () {
  var state = { index: 0, paused: false };
  var pages = [];  // [{slide, groups: [[item, ...], ...] | null, page}]

  function slides() { return document.querySelectorAll('#kiosk-slides .kiosk-slide'); }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function when(ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ' ' + pad(d.getDate()) + '/' +
      pad(d.getMonth() + 1) + '/' + d.getFullYear();
  }

  function progressText(count) {
    if (!count) { return 'Đang tải…'; }
    return 'Trang ' + (state.index + 1) + '/' + count +
      (state.paused ? ' · Tạm dừng (phím cách để chạy tiếp)' : '');
  }

  /* The rows of one slide in groups that fit its body: each row's share of the height is the
     distance to the next row's top (margins and borders included), measured with all shown. */
  function cut(slide) {
    var items = Array.prototype.slice.call(slide.querySelectorAll('.kiosk-item'));
    items.forEach(function (el) { el.style.display = ''; });
    if (!items.length) { return [[]]; }
    // Column widths from all the rows, then fixed: a page of a few rows wraps its cells as
    // they were measured (an automatic layout would widen and narrow columns page by page).
    slide.querySelectorAll('table').forEach(function (table) {
      var heads = table.querySelectorAll('thead th');
      table.style.tableLayout = 'auto';
      heads.forEach(function (th) { th.style.width = ''; });
      var widths = Array.prototype.map.call(heads, function (th) {
        return th.getBoundingClientRect().width;
      });
      heads.forEach(function (th, i) { th.style.width = widths[i] + 'px'; });
      table.style.tableLayout = 'fixed';
    });
    var body = slide.querySelector('.kiosk-body');
    var tops = items.map(function (el) { return el.getBoundingClientRect().top; });
    var last = items[items.length - 1];
    var end = last.getBoundingClientRect().bottom +
      parseFloat(window.getComputedStyle(last).marginBottom || '0');
    var room = body.getBoundingClientRect().bottom - tops[0];
    var groups = [], current = [], used = 0, heights = new Map();
    items.forEach(function (el, i) {
      var h = (i + 1 < items.length ? tops[i + 1] : end) - tops[i];
      if (current.length && used + h > room + 0.5) {
        // A heading goes with what follows it, not alone at the foot of a page.
        var carried = [];
        while (current.length > 1 && current[current.length - 1].classList.contains('kiosk-keep')) {
          carried.unshift(current.pop());
        }
        groups.push(current);
        current = carried;
        used = carried.reduce(function (sum, c) { return sum + heights.get(c); }, 0);
      }
      heights.set(el, h);
      current.push(el);
      used += h;
    });
    groups.push(current);
    return groups;
  }

  function measure() {
    var out = [];
    slides().forEach(function (slide) {
      if (!slide.hasAttribute('data-pageable')) { out.push({ slide: slide, groups: null, page: 0 }); return; }
      var groups = cut(slide);
      groups.forEach(function (_g, i) { out.push({ slide: slide, groups: groups, page: i }); });
    });
    pages = out;
  }

  function show() {
    var count = pages.length;
    if (count) {
      state.index = ((state.index % count) + count) % count;
      var now = pages[state.index];
      slides().forEach(function (el) { el.classList.toggle('active', el === now.slide); });
      if (now.groups) {
        var mine = now.groups[now.page];
        now.groups.forEach(function (g) {
          g.forEach(function (el) { el.style.display = mine.indexOf(el) >= 0 ? '' : 'none'; });
        });
      }
      var label = now.slide.querySelector('.kiosk-page');
      if (label) {
        label.textContent = now.groups && now.groups.length > 1
          ? ' (' + (now.page + 1) + '/' + now.groups.length + ')' : '';
      }
      document.body.setAttribute('data-kiosk-page',
        now.slide.getAttribute('data-slide') + ':' + (now.page + 1));
    }
    var bar = document.getElementById('kiosk-bar');
    if (bar) { bar.style.width = count ? (100 * (state.index + 1) / count) + '%' : '0'; }
    var text = document.getElementById('kiosk-progress');
    if (text) { text.textContent = progressText(count); }
    document.body.setAttribute('data-kiosk-slide', String(state.index));
    return count;
  }

  function relayout() {
    if (!document.body.classList.contains('kiosk-mode')) { return; }
    measure();
    show();
  }

  document.addEventListener('keydown', function (e) {
    if (!document.body.classList.contains('kiosk-mode')) { return; }
    if (e.key === 'ArrowRight' || e.key === 'PageDown') { state.index += 1; }
    else if (e.key === 'ArrowLeft' || e.key === 'PageUp') { state.index -= 1; }
    else if (e.key === ' ' || e.key === 'Spacebar') { state.paused = !state.paused; }
    else { return; }
    e.preventDefault();
    show();
  });
  // Measure again whenever the room for the slides or the text's size may have changed: the
  // window, the header or the offline notice growing, a font arriving.
  var pending = null;
  function later() {
    clearTimeout(pending);
    pending = setTimeout(function () { pending = null; relayout(); }, 100);
  }
  window.addEventListener('resize', later);
  if (document.fonts) {
    document.fonts.addEventListener('loadingdone', later);
    document.fonts.ready.then(later);
  }
  var watched = null;
  var observer = window.ResizeObserver ? new ResizeObserver(later) : null;
  function watch() {
    var area = document.getElementById('kiosk-slides');
    if (observer && area && area !== watched) { observer.observe(area); watched = area; }
  }

  return {
    state: state,
    /* For the tests: whether the pages are measured for what is on screen now. */
    settled: function () {
      return pending === null && pages.length > 0 &&
        (!document.fonts || document.fonts.status === 'loaded');
    },
    /* For the tests: every step of the rotation as "slide key:page". */
    steps: function () {
      return pages.map(function (p) { return p.slide.getAttribute('data-slide') + ':' + (p.page + 1); });
    },
    tick: function (n, beat, config) {
      var fired = (window.dash_clientside.callback_context.triggered || [])
        .map(function (t) { return t.prop_id; });
      watch();
      if (fired.indexOf('kiosk-slides.children') >= 0 || !pages.length) { measure(); }
      if (fired.indexOf('kiosk-tick.n_intervals') >= 0 && !state.paused) { state.index += 1; }
      var count = show();
      var refresh = (config && config.refresh_ms) || 300000;
      // Two missed refreshes: the server is unreachable; keep the last figures and say so.
      var stale = beat && (Date.now() - beat > 2 * refresh + 15000);
      var notice = stale ? 'Mất kết nối tới máy chủ: đang hiển thị số liệu lúc ' + when(beat) : '';
      return [progressText(count), !stale, notice];
    }
  };
})();
