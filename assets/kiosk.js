/* Meeting-room screen: the slide rotation, keys, progress cue and offline notice.
   The current slide lives here, not on the server, so a data refresh never moves it. */
window.tthcKiosk = (function () {
  var state = { index: 0, paused: false };

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

  function show() {
    var all = slides();
    var count = all.length;
    if (count) {
      state.index = ((state.index % count) + count) % count;
      all.forEach(function (el, i) { el.classList.toggle('active', i === state.index); });
    }
    var bar = document.getElementById('kiosk-bar');
    if (bar) { bar.style.width = count ? (100 * (state.index + 1) / count) + '%' : '0'; }
    var text = document.getElementById('kiosk-progress');
    if (text) { text.textContent = progressText(count); }
    document.body.setAttribute('data-kiosk-slide', String(state.index));
    return count;
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

  return {
    state: state,
    tick: function (n, beat, config) {
      var fired = (window.dash_clientside.callback_context.triggered || [])
        .map(function (t) { return t.prop_id; });
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
