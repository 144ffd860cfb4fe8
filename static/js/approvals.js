// The approvals queue's "select all" box (issue 18 item 3). Without
// JavaScript the box stays hidden and each project is ticked on its own.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-all]").forEach((box) => {
    const name = box.dataset.selectAll;
    const form = box.form;
    const boxes = () => form.querySelectorAll(`input[type=checkbox][name="${name}"]`);
    box.closest("[hidden]")?.removeAttribute("hidden");
    box.addEventListener("change", () => {
      boxes().forEach((each) => { each.checked = box.checked; });
    });
  });
});
