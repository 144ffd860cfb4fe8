// Long downloads show progress (issue 18 item 4) until documents are made
// in background jobs. A link with data-wait="กำลังจัดทำเอกสาร ประมาณ N วินาที"
// (the message and its estimate come from the server, reports.documents)
// fetches the file itself while an overlay shows a spinner, the message
// and the seconds so far, then saves the file under the server's name and
// closes the overlay. A refusal or an error page (not a file) is opened as
// a normal page, so the server's own Thai message shows. No inline script:
// the Content-Security-Policy allows scripts from this origin only.
(() => {
  const filename = (response, url) => {
    const header = response.headers.get("Content-Disposition") || "";
    const star = header.match(/filename\*=UTF-8''([^;]+)/i);
    if (star) return decodeURIComponent(star[1]);
    const plain = header.match(/filename="?([^";]+)"?/i);
    if (plain) return plain[1];
    return new URL(url, window.location.href).pathname.split("/").pop();
  };

  const overlay = (message) => {
    const box = document.createElement("div");
    box.className = "wait-overlay";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    box.dataset.testid = "wait-overlay";
    const card = document.createElement("div");
    card.className = "wait-card";
    const spinner = document.createElement("div");
    spinner.className = "spinner";
    spinner.setAttribute("aria-hidden", "true");
    const text = document.createElement("p");
    text.textContent = message;
    const elapsed = document.createElement("p");
    elapsed.className = "muted wait-elapsed";
    card.append(spinner, text, elapsed);
    box.append(card);
    document.body.append(box);
    const started = Date.now();
    const timer = window.setInterval(() => {
      const seconds = Math.round((Date.now() - started) / 1000);
      elapsed.textContent = `ผ่านไป ${seconds} วินาที`;
    }, 1000);
    return () => {
      window.clearInterval(timer);
      box.remove();
    };
  };

  document.addEventListener("click", async (event) => {
    const link = event.target.closest("a[data-wait]");
    if (!link || !window.fetch || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    const close = overlay(link.dataset.wait);
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || type.startsWith("text/html")) {
        window.location.assign(link.href);
        return;
      }
      const url = URL.createObjectURL(await response.blob());
      const save = document.createElement("a");
      save.href = url;
      save.download = filename(response, link.href);
      document.body.append(save);
      save.click();
      save.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      close();
    } catch (error) {
      close();
      window.location.assign(link.href);
    }
  });
})();
