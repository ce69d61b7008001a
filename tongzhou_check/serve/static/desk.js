// The desk's only script: drop a workbook on the upload area, and a pending submission's page updates itself.
// The pages work without it (a plain file input, a <noscript> refresh).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload");
  const drop = document.getElementById("drop");
  const input = document.getElementById("file");
  if (form && drop && input) {
    const stop = (event) => { event.preventDefault(); event.stopPropagation(); };
    ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (event) => {
      stop(event); drop.classList.add("over");
    }));
    ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, (event) => {
      stop(event); drop.classList.remove("over");
    }));
    drop.addEventListener("drop", (event) => {
      const files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      input.files = files;
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
    input.addEventListener("change", () => { if (input.files.length) drop.querySelector("span").textContent = input.files[0].name; });
  }
  const status = document.getElementById("status");
  const url = status && status.dataset.poll;
  if (url) {
    const poll = () => fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => response.ok ? response.json() : null)
      .then((body) => {
        if (body && body.status !== "queued" && body.status !== "auditing") { window.location.reload(); return; }
        window.setTimeout(poll, 1000);
      })
      .catch(() => window.setTimeout(poll, 3000));
    window.setTimeout(poll, 700);
  }
});
