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
    // The sum of one row's own lines (an activity's or a sub-activity's).
    function linesTotal(row, removed) {
      let sum = 0;
      row.querySelectorAll(":scope > .lines > .line, :scope > details > .lines > .line")
        .forEach((line) => {
          const amount = isRemoved(line) || removed ? 0 : lineAmount(line);
          const out = line.querySelector(".js-line-total");
          if (out) out.textContent = baht(amount);
          sum += amount;
          const select = line.querySelector(".js-category");
          if (amount && select) {
            const label = select.value
              ? select.options[select.selectedIndex].text
              : "ไม่ระบุหมวด";
            byCategory.set(label, (byCategory.get(label) || 0) + amount);
          }
        });
      return sum;
    }
    // An activity's total is its own lines plus its sub-activities' lines,
    // each line counted once, so the activities add up to the project's
    // total as the printed sheet's does (the sum of every cost line). A
    // sub-activity of a removed activity is removed with it unless moved.
    form.querySelectorAll(".activities > .activity").forEach((activity) => {
      const activityRemoved = isRemoved(activity);
      let activityTotal = linesTotal(activity, activityRemoved);
      activity.querySelectorAll(".subs > .subactivity").forEach((sub) => {
        const move = sub.querySelector('select[name$="-move_to"]');
        const moved = Boolean(move && move.value);
        const removed = isRemoved(sub) || (activityRemoved && !moved);
        const subTotal = linesTotal(sub, removed);
        const out = sub.querySelector(".js-sub-total");
        if (out) out.textContent = baht(subTotal);
        activityTotal += subTotal;
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

  function editor() {
    return document.getElementById("sheet-editor");
  }

  // A KPI row shows its five "เกณฑ์ระดับ" fields only for the unit
  // "ระดับความสำเร็จ" (or while one holds text, so nothing typed is hidden).
  function showLevels(form) {
    form.querySelectorAll('[data-rows="kpis"] [data-row]').forEach((row) => {
      const unit = row.querySelector(".f-unit select");
      const boxes = row.querySelectorAll('[class*="f-criterion_"]');
      const typed = Array.from(boxes).some((box) => {
        const field = box.querySelector("textarea, input");
        return field && field.value.trim() !== "";
      });
      const show = (unit && unit.value === "success") || typed;
      boxes.forEach((box) => (box.hidden = !show));
    });
  }

  // Runs on load and again when an autosave swaps the form in.
  function setup() {
    const form = editor();
    if (!form) return;
    form.classList.add("js");
    form.querySelectorAll(".js-add, .js-add-line, .js-add-sub").forEach((button) => {
      button.hidden = false;
    });
    form.querySelectorAll(".remove input[type=checkbox]:checked").forEach((box) => {
      box.closest("[data-row]").classList.add("removed");
    });
    recompute(form);
    showLevels(form);
  }

  document.addEventListener("click", (event) => {
    const form = editor();
    if (!form || !form.contains(event.target)) return;
    const add = event.target.closest(".js-add");
    if (add) {
      const prefix = add.dataset.add;
      const template = document.getElementById(add.dataset.template);
      const container = form.querySelector(`[data-rows="${prefix}"]`);
      const placeholder = prefix === "act" ? "__act__" : "__prefix__";
      const row = addRow(container, template, prefix, placeholder, String);
      row.querySelectorAll(".js-add-line, .js-add-sub").forEach((b) => (b.hidden = false));
      showLevels(form);
      focusFirst(row);
      return;
    }
    const addSub = event.target.closest(".js-add-sub");
    if (addSub) {
      const activity = addSub.closest(".activity");
      const prefix = `${activity.dataset.activity}-sub`;
      const container = activity.querySelector(`[data-rows="${prefix}"]`);
      const row = addRow(
        container,
        document.getElementById("tpl-sub"),
        prefix,
        "act-__act__-sub-__sub__",
        (index) => `${prefix}-${index}`,
      );
      row.querySelectorAll(".js-add-line").forEach((b) => (b.hidden = false));
      focusFirst(row);
      return;
    }
    const addLine = event.target.closest(".js-add-line");
    if (addLine) {
      const activity = addLine.closest("[data-activity]");
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
  document.addEventListener("input", () => editor() && recompute(editor()));
  document.addEventListener("change", (event) => {
    const box = event.target.closest(".remove input[type=checkbox]");
    if (box) box.closest("[data-row]").classList.toggle("removed", box.checked);
    if (editor()) recompute(editor());
    if (editor() && event.target.closest(".f-unit")) showLevels(editor());
  });

  // ---------------------------------------------------------------- autosave
  // A press of "บันทึก" wins over autosave: no autosave starts once the form
  // is being submitted, and a submit during an autosave waits for it and is
  // then made from the swapped-in form (with its new versions and row ids).
  let submitting = false;
  let pendingSubmit = null;
  let typed = null;
  let sent = null;

  function focused() {
    const active = document.activeElement;
    return active && active.id && "value" in active
      ? { id: active.id, value: active.value }
      : null;
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form !== editor()) return;
    if (form.classList.contains("htmx-request")) {
      event.preventDefault();
      pendingSubmit = event.submitter ? event.submitter.name : "save";
      return;
    }
    submitting = true;
  });
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target !== editor()) return;
    if (submitting) {
      event.preventDefault();
      return;
    }
    sent = focused();
  });
  // What the user typed while the autosave ran stays as typed, when the
  // field swapped in is the same one (it holds what was sent); a row that
  // moved (a blank spare row before it) is left as stored.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.target === editor()) typed = focused();
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (typed && sent && typed.id === sent.id && typed.value !== sent.value) {
      const field = document.getElementById(typed.id);
      if (field && field.value === sent.value) field.value = typed.value;
    }
    typed = sent = null;
    setup();
    if (pendingSubmit) {
      const name = pendingSubmit;
      pendingSubmit = null;
      const button = editor().querySelector(`button[name="${name}"]`);
      if (button) button.click();
    }
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.target !== editor()) return;
    const status = event.detail.xhr.status;
    if (status !== 204 && event.detail.successful) return;
    setStatus(status === 204 ? NOT_SAVED : FAILED);
    sent = null;
    if (pendingSubmit) {
      // Nothing was swapped in: the waiting submit goes from this form.
      const name = pendingSubmit;
      pendingSubmit = null;
      setTimeout(() => {
        const button = editor().querySelector(`button[name="${name}"]`);
        if (button) button.click();
      }, 0);
    }
  });

  const NOT_SAVED =
    "ยังบันทึกร่างอัตโนมัติไม่ได้ (ยังกรอกไม่ครบหรือมีรายการที่ต้องแก้) กด “บันทึก” เพื่อดูรายละเอียด";
  const FAILED = "บันทึกร่างอัตโนมัติไม่สำเร็จ กรุณากด “บันทึก”";

  function setStatus(text) {
    const status = document.getElementById("autosave-status");
    if (status) status.textContent = text;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
