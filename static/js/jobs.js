// The job page: poll the job's state; reload the page when it has finished (the result shows).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") return;
  var bar = document.getElementById("job-bar");
  var text = document.getElementById("job-state");
  var delay = 500;
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { delay = Math.min(delay * 2, 5000); return; }
        bar.style.width = s.percent + "%";
        bar.textContent = s.percent + "%";
        bar.parentNode.setAttribute("aria-valuenow", s.percent);
        if (s.status === "running" && s.total) text.textContent = s.done + " / " + s.total;
        if (s.finished) { window.location.reload(); return; }
        delay = Math.min(delay + 250, 2000);
      })
      .catch(function () { delay = Math.min(delay * 2, 5000); })
      .finally(function () { if (!box.dataset.stopped) setTimeout(poll, delay); });
  }
  setTimeout(poll, delay);
})();
