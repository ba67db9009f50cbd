// Follow a queued or running run: poll GET /api/v1/runs/{id} every second and show its
// progress; when it ends, reload the page (the report and the files, or the error).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const status = document.getElementById("run-status");
  if (!status || !["queued", "running"].includes(status.dataset.status)) return;
  const bar = document.getElementById("run-progress");
  const fraction = document.getElementById("run-fraction");
  const step = document.getElementById("run-step");
  const badge = status.querySelector(".badge");
  const url = `/api/v1/runs/${status.dataset.run}`;
  const poll = async () => {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (response.ok) {
        const run = await response.json();
        if (run.status === "succeeded" || run.status === "failed") {
          window.location.reload();
          return;
        }
        bar.value = run.progress_fraction;
        fraction.textContent = `${Math.round(100 * run.progress_fraction)} %`;
        step.textContent = run.progress_text || run.status;
        status.dataset.status = run.status;
        badge.textContent = run.status;
        badge.className = `badge ${run.status}`;
      }
    } catch (err) {
      step.textContent = `(progress unavailable: ${err})`;
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
});
