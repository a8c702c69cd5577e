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
