// The project-sheet editor (budgets/editor/sheet.html): adds rows from
// <template>s, numbers them, and sums the money as the user types.
// Progressive: without this script the page still saves (one spare row of
// each kind is rendered by the server). No inline scripts: the CSP forbids them.
(function () {
  "use strict";

  const THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

  function parseNumber(text) {
    if (!text) return null;
    let plain = "";
    for (const ch of String(text)) {
      const thai = THAI_DIGITS.indexOf(ch);
      plain += thai >= 0 ? String(thai) : ch;
    }
    plain = plain.replace(/[,\s]/g, "");
    if (plain === "") return null;
    const value = Number(plain);
    return Number.isFinite(value) ? value : null;
  }

  function baht(value) {
    return value.toLocaleString("en-US", {
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
  }

  function valueOf(row, selector) {
    const input = row.querySelector(selector);
    return input ? parseNumber(input.value) : null;
  }

  function isRemoved(row) {
    const box = row.querySelector(":scope > .remove input[type=checkbox]");
    return Boolean(box && box.checked);
  }

  // The amount of one cost line: quantity × rate × times, as the server
  // computes it (CostLine.compute_amount); the typed amount without a rate.
  function lineAmount(line) {
    const rate = valueOf(line, ".js-rate");
    const qty = valueOf(line, ".js-qty");
    const times = valueOf(line, ".js-times");
    if (rate !== null && (qty !== null || times !== null)) {
      const amount = rate * (qty === null ? 1 : qty) * (times === null ? 1 : times);
      return Math.round(amount * 100) / 100;
    }
    return valueOf(line, ".js-amount") || 0;
  }

  function recompute(form) {
    let total = 0;
    const byCategory = new Map();
    form.querySelectorAll(".activities > .activity").forEach((activity) => {
      let activityTotal = 0;
      const activityRemoved = isRemoved(activity);
      activity.querySelectorAll(".lines > .line").forEach((line) => {
        const amount = isRemoved(line) || activityRemoved ? 0 : lineAmount(line);
        const out = line.querySelector(".js-line-total");
        if (out) out.textContent = baht(amount);
        activityTotal += amount;
        const select = line.querySelector(".js-category");
        if (amount && select) {
          const label = select.value
            ? select.options[select.selectedIndex].text
            : "ไม่ระบุหมวด";
          byCategory.set(label, (byCategory.get(label) || 0) + amount);
        }
      });
      const out = activity.querySelector(".js-activity-total");
      if (out) out.textContent = baht(activityTotal);
      total += activityTotal;
    });
    const body = document.getElementById("category-totals");
    if (body) {
      body.replaceChildren();
      for (const [label, amount] of byCategory) {
        const tr = document.createElement("tr");
        const name = document.createElement("td");
        name.textContent = label;
        const sum = document.createElement("td");
        sum.className = "num";
        sum.textContent = baht(amount) + " บาท";
        tr.append(name, sum);
        body.append(tr);
      }
    }
    const projectTotal = document.getElementById("project-total");
    if (projectTotal) projectTotal.textContent = baht(total);
  }

  // Append a copy of a <template>, its placeholders replaced, and bump the
  // formset's TOTAL_FORMS (Django's management form).
  function addRow(container, template, prefix, placeholder, replacement) {
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const index = Number(total.value);
    const html = template.innerHTML.split(placeholder).join(replacement(index));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    return container.lastElementChild;
  }

  function focusFirst(row) {
    const field = row.querySelector("textarea, input[type=text], select");
    if (field) field.focus();
  }

  function setup() {
    const form = document.getElementById("sheet-editor");
    if (!form) return;
    form.classList.add("js");
    document.querySelectorAll(".js-add, .js-add-line").forEach((button) => {
      button.hidden = false;
    });
    form.addEventListener("click", (event) => {
      const add = event.target.closest(".js-add");
      if (add) {
        const prefix = add.dataset.add;
        const template = document.getElementById(add.dataset.template);
        const container = form.querySelector(`[data-rows="${prefix}"]`);
        const placeholder = prefix === "act" ? "__act__" : "__prefix__";
        const row = addRow(container, template, prefix, placeholder, String);
        row.querySelectorAll(".js-add-line").forEach((b) => (b.hidden = false));
        focusFirst(row);
        return;
      }
      const addLine = event.target.closest(".js-add-line");
      if (addLine) {
        const activity = addLine.closest(".activity");
        const prefix = `${activity.dataset.activity}-cost`;
        const container = activity.querySelector(`[data-rows="${prefix}"]`);
        const template = document.getElementById("tpl-line");
        const row = addRow(
          container,
          template,
          prefix,
          "act-__act__-cost-__cost__",
          (index) => `${prefix}-${index}`,
        );
        focusFirst(row);
      }
    });
    form.addEventListener("input", () => recompute(form));
    form.addEventListener("change", (event) => {
      const box = event.target.closest(".remove input[type=checkbox]");
      if (box) box.closest("[data-row]").classList.toggle("removed", box.checked);
      recompute(form);
    });
    recompute(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
