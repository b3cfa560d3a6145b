// Sort by a column (click its head; again to reverse) and filter by text and status, offline.
(function () {
  "use strict";
  var table = document.getElementById("reviews");
  var body = table.tBodies[0];
  var filter = document.getElementById("filter");
  var status = document.getElementById("status");
  // Vietnamese without tone marks, so "cam thuy" finds "Cam Thủy".
  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }
  function key(row, col) { return row.cells[col].getAttribute("data-sort") || ""; }
  function compare(a, b) {
    var x = Number(a), y = Number(b);
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a.localeCompare(b, "vi");
  }
  table.tHead.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-col]");
    if (!button) { return; }
    var col = Number(button.getAttribute("data-col"));
    var head = button.parentNode;
    var order = head.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    head.setAttribute("aria-sort", order);
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var c = compare(key(a, col), key(b, col));
      return order === "ascending" ? c : -c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
  function apply() {
    var words = plain(filter.value).split(/\s+/).filter(Boolean);
    var wanted = status.value;
    var shown = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = plain(row.textContent);
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
        (!wanted || row.getAttribute("data-status") === wanted);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById("count").textContent = String(shown);
    document.getElementById("empty").hidden = shown > 0;
  }
  filter.addEventListener("input", apply);
  status.addEventListener("change", apply);
}());
