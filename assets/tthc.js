/* Vietnamese number formats for dash-ag-grid cells (87,03 %; 1.234). */
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});
dagfuncs.vnPercent = function (v) {
  if (v === null || v === undefined) { return '—'; }
  return (v * 100).toFixed(2).replace('.', ',') + ' %';
};
dagfuncs.vnCount = function (v) {
  if (v === null || v === undefined) { return '—'; }
  return Math.round(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
};
dagfuncs.vnMovement = function (v) {
  if (v === null || v === undefined) { return '—'; }
  if (v > 0) { return '▲ ' + v; }
  if (v < 0) { return '▼ ' + (-v); }
  return '=';
};
/* Unit search without diacritics: "dong lac" finds "Đồng Lạc", "xa an phu" finds "Xã An Phú". */
dagfuncs.vnFold = function (text) {
  if (text === null || text === undefined) { return ''; }
  return String(text).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd');
};

/* Plotly's words in Vietnamese (registered when plotly.js loads; the graphs ask for "vi"):
   the modebar's tooltips and the names of months and days. */
window.PlotlyLocales = (window.PlotlyLocales || []).concat([{
  moduleType: 'locale',
  name: 'vi',
  dictionary: {
    'Download plot as a PNG': 'Tải biểu đồ (PNG)',
    'Download plot': 'Tải biểu đồ',
    'Zoom': 'Phóng to vùng chọn',
    'Pan': 'Kéo',
    'Box Select': 'Chọn hình chữ nhật',
    'Lasso Select': 'Chọn tự do',
    'Zoom in': 'Phóng to',
    'Zoom out': 'Thu nhỏ',
    'Autoscale': 'Tự co giãn',
    'Reset axes': 'Đặt lại trục',
    'Reset view': 'Đặt lại khung nhìn',
    'Toggle Spike Lines': 'Bật/tắt đường gióng',
    'Show closest data on hover': 'Hiện số liệu gần nhất khi rê chuột',
    'Compare data on hover': 'So sánh số liệu khi rê chuột',
    'Produced with Plotly.js': 'Vẽ bằng Plotly.js',
    'Taking snapshot - this may take a few seconds': 'Đang chụp ảnh biểu đồ…',
    'Snapshot succeeded': 'Đã tải ảnh biểu đồ',
    'Sorry, there was a problem downloading your snapshot!': 'Không tải được ảnh biểu đồ.',
    'Double-click to zoom back out': 'Bấm đúp để thu về',
    'Double-click on legend to isolate one trace': 'Bấm đúp vào chú giải để chỉ xem một đường',
    'Click to enter Plot title': 'Bấm để ghi tên biểu đồ',
    'Click to enter X axis title': 'Bấm để ghi tên trục X',
    'Click to enter Y axis title': 'Bấm để ghi tên trục Y',
    'trace': 'đường'
  },
  format: {
    days: ['Chủ nhật', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu', 'Thứ bảy'],
    shortDays: ['CN', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'],
    months: ['Tháng 1', 'Tháng 2', 'Tháng 3', 'Tháng 4', 'Tháng 5', 'Tháng 6', 'Tháng 7',
             'Tháng 8', 'Tháng 9', 'Tháng 10', 'Tháng 11', 'Tháng 12'],
    shortMonths: ['Th1', 'Th2', 'Th3', 'Th4', 'Th5', 'Th6', 'Th7', 'Th8', 'Th9', 'Th10',
                  'Th11', 'Th12'],
    date: '%d/%m/%Y',
    decimal: ',',
    thousands: '.'
  }
}]);

/* Dash's date picker has no language setting: its weekday heads and button labels are put in
   Vietnamese where they appear (the text node's value is changed in place, which React keeps;
   if React writes the English again, the observer sees it and changes it back). */
(function () {
  var DAYS = { Mo: 'T2', Tu: 'T3', We: 'T4', Th: 'T5', Fr: 'T6', Sa: 'T7', Su: 'CN' };
  var LABELS = {
    'Previous month': 'Tháng trước',
    'Next month': 'Tháng sau',
    'Increase value': 'Tăng',
    'Decrease value': 'Giảm',
    'Clear': 'Xóa',
    'Clear dates': 'Xóa ngày',
    'Clear Dates': 'Xóa ngày',
    'Clear Date': 'Xóa ngày',
    'Clear date': 'Xóa ngày'
  };
  function fix(root) {
    root.querySelectorAll('.dash-datepicker-calendar-wrapper span').forEach(function (el) {
      var node = el.firstChild;
      if (node && node.nodeType === 3 && el.childNodes.length === 1 && DAYS[node.nodeValue]) {
        node.nodeValue = DAYS[node.nodeValue];
      }
    });
    root.querySelectorAll('[aria-label], [title]').forEach(function (el) {
      ['aria-label', 'title'].forEach(function (name) {
        var v = el.getAttribute(name);
        if (v && LABELS[v]) { el.setAttribute(name, LABELS[v]); }
      });
    });
  }
  function start() {
    new MutationObserver(function (changes) {
      for (var i = 0; i < changes.length; i++) {
        var t = changes[i].target;
        var el = t.nodeType === 1 ? t : t.parentElement;
        if (el && (el.closest('.dash-datepicker-calendar-wrapper, .dash-datepicker') ||
                   el.querySelector('.dash-datepicker-calendar-wrapper, .dash-datepicker'))) {
          fix(document);
          return;
        }
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
    fix(document);
  }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', start); }
  else { start(); }
})();
