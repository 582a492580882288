/* While a job runs, poll its status and reload the page once it has finished. */
(function () {
  "use strict";
  var box = document.querySelector(".job[data-status-url]");
  if (!box || box.dataset.finished === "1") return;
  var bar = box.querySelector(".job-progress");
  var status = box.querySelector(".job-status");

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.value = Math.round(job.progress * 100);
        bar.textContent = bar.value + " %";
        status.textContent = job.status_label + (job.message ? " – " + job.message : "");
        if (job.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
