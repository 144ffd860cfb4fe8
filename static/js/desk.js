// The finance desk's small enhancements (no inline scripts: CSP).
// 1. Rows cascade through htmx, so the no-JS "แสดงตัวเลือก" buttons hide.
// 2. A Thai date picker beside every [data-thai-date] box: months in Thai,
//    years in พ.ศ.; it only fills the box, which still takes typed dates.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  var MONTHS = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];
  var DAYS = ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function parse(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((text || "").trim());
    if (!m) { return new Date(); }
    var year = +m[3] > 2400 ? +m[3] - 543 : +m[3];
    return new Date(year, +m[2] - 1, +m[1]);
  }

  function button(text, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (label) { b.setAttribute("aria-label", label); }
    return b;
  }

  function render(box, input, shown) {
    box.textContent = "";
    var head = document.createElement("div");
    head.className = "thai-picker-head";
    var prev = button("‹", "เดือนก่อน");
    var next = button("›", "เดือนถัดไป");
    var title = document.createElement("span");
    title.textContent = MONTHS[shown.getMonth()] + " " + (shown.getFullYear() + 543);
    prev.addEventListener("click", function () {
      render(box, input, new Date(shown.getFullYear(), shown.getMonth() - 1, 1));
    });
    next.addEventListener("click", function () {
      render(box, input, new Date(shown.getFullYear(), shown.getMonth() + 1, 1));
    });
    head.append(prev, title, next);
    var grid = document.createElement("div");
    grid.className = "thai-picker-grid";
    DAYS.forEach(function (d) {
      var cell = document.createElement("span");
      cell.textContent = d;
      grid.append(cell);
    });
    var first = new Date(shown.getFullYear(), shown.getMonth(), 1);
    for (var i = 0; i < first.getDay(); i++) { grid.append(document.createElement("span")); }
    var last = new Date(shown.getFullYear(), shown.getMonth() + 1, 0).getDate();
    for (var day = 1; day <= last; day++) {
      var value = pad(day) + "/" + pad(shown.getMonth() + 1) + "/" + (shown.getFullYear() + 543);
      var b = button(String(day), day + " " + MONTHS[shown.getMonth()] + " " + (shown.getFullYear() + 543));
      if (value === input.value.trim()) { b.className = "chosen"; }
      b.addEventListener("click", (function (v) {
        return function () { input.value = v; box.hidden = true; input.focus(); };
      })(value));
      grid.append(b);
    }
    box.append(head, grid);
  }

  function enhance(root) {
    root.querySelectorAll("input[data-thai-date]:not([data-picker])").forEach(function (input) {
      input.setAttribute("data-picker", "");
      var open = button("ปฏิทิน", "เลือกวันที่จากปฏิทิน");
      open.className = "thai-picker-open";
      var box = document.createElement("div");
      box.className = "thai-picker";
      box.hidden = true;
      open.addEventListener("click", function () {
        if (box.hidden) { render(box, input, parse(input.value)); }
        box.hidden = !box.hidden;
      });
      box.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { box.hidden = true; open.focus(); }
      });
      input.after(open, box);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
