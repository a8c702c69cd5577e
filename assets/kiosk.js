/* Meeting-room screen: the slide rotation, keys, progress cue and offline notice.
   The current slide lives here, not on the server, so a data refresh never moves it.

   A slide marked data-pageable holds all its rows (class kiosk-item); here they are cut into
   pages that fit this screen, each row whole on one page, and every page is a step of the
   rotation ("Bảng xếp hạng … (2/3)"). When the pages outnumber what one rotation holds
   (config.cycle_pages: TTHC_KIOSK_CYCLE_SECONDS at TTHC_KIOSK_SLIDE_SECONDS a page), every
   list of units (data-list) longer than a page becomes one page: the first rows that fit (a
   league: its head and its foot) and "và N đơn vị khác". Pages are measured again when the
   slides change or the window is resized: nothing shrinks, whatever the display. */
window.tthcKiosk = (function () {
  var state = { index: 0, paused: false, budget: 0 };
  var pages = [];  // [{slide, items, groups: [[item, ...], ...] | null, page}]

  function slides() { return document.querySelectorAll('#kiosk-slides .kiosk-slide'); }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function when(ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ' ' + pad(d.getDate()) + '/' +
      pad(d.getMonth() + 1) + '/' + d.getFullYear();
  }

  /* 1234 -> "1.234" (dot groups thousands in Vietnamese). */
  function fmtInt(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.'); }

  function progressText(count) {
    if (!count) { return 'Đang tải…'; }
    return 'Trang ' + (state.index + 1) + '/' + count +
      (state.paused ? ' · Tạm dừng (phím cách để chạy tiếp)' : '');
  }

  function outer(el) {
    var style = window.getComputedStyle(el);
    return el.getBoundingClientRect().height + parseFloat(style.marginTop || '0') +
      parseFloat(style.marginBottom || '0');
  }

  /* The rows of one slide, each with its share of the body's height (the distance to the next
     row's top, margins and borders included), measured with all shown, and the room. */
  function rows(slide) {
    var items = Array.prototype.slice.call(slide.querySelectorAll('.kiosk-item'));
    items.forEach(function (el) { el.style.display = ''; el.classList.remove('kiosk-gap'); });
    var more = slide.querySelector('.kiosk-more');
    if (more) { more.style.display = ''; }
    if (!items.length) { return { items: items, heights: new Map(), room: 0 }; }
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
    var heights = new Map();
    items.forEach(function (el, i) {
      heights.set(el, (i + 1 < items.length ? tops[i + 1] : end) - tops[i]);
    });
    return { items: items, heights: heights, room: body.getBoundingClientRect().bottom - tops[0] };
  }

  /* The rows in groups that fit the body, each row whole on one page. */
  function cut(m) {
    if (!m.items.length) { return [[]]; }
    var groups = [], current = [], used = 0;
    m.items.forEach(function (el) {
      var h = m.heights.get(el);
      if (current.length && used + h > m.room + 0.5) {
        // A heading goes with what follows it, not alone at the foot of a page.
        var carried = [];
        while (current.length > 1 && current[current.length - 1].classList.contains('kiosk-keep')) {
          carried.unshift(current.pop());
        }
        groups.push(current);
        current = carried;
        used = carried.reduce(function (sum, c) { return sum + m.heights.get(c); }, 0);
      }
      current.push(el);
      used += h;
    });
    groups.push(current);
    return groups;
  }

  /* One page of a long list: the notes, "và N đơn vị khác", and the first units that fit
     beside them; a league ("ends") its head and its foot by turns, the ranked units only. */
  function top(slide, m) {
    var units = m.items.filter(function (el) { return el.classList.contains('kiosk-row'); });
    var notes = m.items.filter(function (el) { return units.indexOf(el) < 0; });
    var more = slide.querySelector('.kiosk-more');
    more.textContent = 'và ' + fmtInt(units.length) + ' đơn vị khác';  // the widest
    more.style.display = 'block';
    var free = m.room - outer(more) - notes.reduce(function (sum, el) {
      return sum + m.heights.get(el);
    }, 0);
    var ends = slide.getAttribute('data-list') === 'ends';
    var pool = ends ? units.filter(function (el) {
      return !el.classList.contains('kiosk-unranked');
    }) : units;
    var head = [], foot = [], used = 0, i = 0, j = pool.length - 1;
    while (i <= j) {
      var fromFoot = ends && foot.length < head.length;
      var el = fromFoot ? pool[j] : pool[i];
      var h = m.heights.get(el);
      if (head.length && used + h > free + 0.5) { break; }
      used += h;
      if (fromFoot) { foot.unshift(el); j -= 1; } else { head.push(el); i += 1; }
    }
    if (foot.length && units.indexOf(foot[0]) !== units.indexOf(head[head.length - 1]) + 1) {
      foot[0].classList.add('kiosk-gap');  // the ranks jump here
    }
    var shown = head.concat(foot);
    more.textContent = 'và ' + fmtInt(units.length - shown.length) + ' đơn vị khác';
    more.style.display = shown.length < units.length ? 'block' : '';
    return shown.concat(notes);
  }

  function measure() {
    var plan = [];
    slides().forEach(function (slide) {
      if (!slide.hasAttribute('data-pageable')) { plan.push({ slide: slide, groups: null }); return; }
      slide.classList.remove('kiosk-cut');
      var m = rows(slide);
      plan.push({ slide: slide, m: m, groups: cut(m) });
    });
    var total = plan.reduce(function (n, p) { return n + (p.groups ? p.groups.length : 1); }, 0);
    // Too long a rotation: every list longer than a page becomes its top on one page (all of
    // them, so what the wall shows does not hang on a page more or less at this size).
    if (state.budget && total > state.budget) {
      plan.forEach(function (p) {
        if (p.groups && p.groups.length > 1 && p.slide.hasAttribute('data-list')) {
          p.slide.classList.add('kiosk-cut');
          p.m = rows(p.slide);  // measured again without the columns a cut list leaves out
          p.groups = [top(p.slide, p.m)];
        }
      });
    }
    var out = [];
    plan.forEach(function (p) {
      if (!p.groups) { out.push({ slide: p.slide, items: [], groups: null, page: 0 }); return; }
      p.groups.forEach(function (_g, n) {
        out.push({ slide: p.slide, items: p.m.items, groups: p.groups, page: n });
      });
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
        now.items.forEach(function (el) { el.style.display = mine.indexOf(el) >= 0 ? '' : 'none'; });
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
      state.budget = (config && config.cycle_pages) || 0;
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
