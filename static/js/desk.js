// The finance desk's small enhancements (no inline scripts: CSP).
// 1. A row re-renders itself when its project or activity changes (the
//    server answers the row alone to an HX-Request, as django-htmx tells
//    it), so the no-JS "แสดงตัวเลือก" buttons hide. One listener on the
//    form, which is never replaced: a change made the instant a row is
//    swapped is never missed, and what was typed meanwhile is kept.
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

  var pending = {};

  function cascade(event) {
    var select = event.target;
    if (!select.matches || !select.matches("select[data-cascade]")) { return; }
    var form = select.form;
    var row = select.closest("fieldset.desk-row");
    var index = row.id.replace("desk-row-", "");
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrfmiddlewaretoken");
    params.set("row", index);
    var ticket = (pending[index] || 0) + 1;
    pending[index] = ticket;
    row.setAttribute("aria-busy", "true");
    fetch(form.dataset.rowUrl + "?" + params.toString(), {
      headers: { "HX-Request": "true" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (html) {
      if (pending[index] !== ticket) { return; }  // a later change answers
      var current = document.getElementById("desk-row-" + index);
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var fresh = holder.firstElementChild;
      // boxes typed into while the row was asked for keep what was typed
      current.querySelectorAll("input").forEach(function (input) {
        var twin = fresh.querySelector('[name="' + input.name + '"]');
        if (twin) { twin.value = input.value; }
      });
      var focused = document.activeElement && document.activeElement.id;
      current.replaceWith(fresh);
      enhance(fresh);
      if (focused && fresh.querySelector("#" + CSS.escape(focused))) {
        document.getElementById(focused).focus();
      }
    }).catch(function () {
      row.removeAttribute("aria-busy");  // the no-JS button still works
      row.querySelector(".desk-refresh").style.display = "inline-block";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    var form = document.getElementById("desk-form");
    if (form) { form.addEventListener("change", cascade); }
  });
})();
