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
