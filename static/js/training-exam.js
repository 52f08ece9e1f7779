// Pre-/post-test: each answer is POSTed as soon as it is chosen. Answers that cannot be sent
// (offline, server unreachable) wait in a queue kept in localStorage and are retried when the
// browser is back online, every few seconds, and before the answers are submitted.
(function () {
  "use strict";
  const form = document.getElementById("exam");
  if (!form) return;
  const url = form.dataset.answerUrl;
  const key = "exam-queue:" + form.dataset.key;
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const CSRF = csrfMeta ? csrfMeta.content : "";
  const status = document.getElementById("save-status");
  const errorBox = document.getElementById("save-error");
  let queue = {};
  try { queue = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { queue = {}; }
  let sending = false;
  let submitting = false;

  function persist() {
    try { localStorage.setItem(key, JSON.stringify(queue)); } catch (e) { /* private mode */ }
  }
  function show() {
    const n = Object.keys(queue).length;
    status.dataset.pending = String(n);
    status.textContent = n ? n + " " + form.dataset.msgPending : form.dataset.msgSaved;
    status.classList.toggle("text-warning", n > 0);
  }
  function fail(message) {
    errorBox.textContent = message || "";
    errorBox.classList.toggle("d-none", !message);
  }
  async function flush() {
    if (sending) return;
    sending = true;
    try {
      for (const [q, o] of Object.entries(queue)) {
        let response;
        try {
          response = await fetch(url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": CSRF },
            body: JSON.stringify({ question: Number(q), option: o }),
          });
        } catch (e) {
          break; // offline: keep the queue for the next try
        }
        if (response.ok) {
          if (queue[q] === o) delete queue[q];
          persist();
        } else {
          const body = await response.json().catch(() => null);
          if (body && body.ok === false && response.status < 500) {
            delete queue[q]; // refused for good by the test (closed, already sent): say why
            persist();
            fail(body.message);
          } else {
            break; // a server error, an expired session, a rate limit: keep it, try again later
          }
        }
      }
    } finally {
      sending = false;
      show();
    }
  }

  // Choices still queued from an earlier visit are shown as chosen.
  for (const [q, o] of Object.entries(queue)) {
    const input = document.getElementById("o" + o);
    if (input && input.dataset.q === q) input.checked = true;
  }
  form.addEventListener("change", function (event) {
    const input = event.target;
    if (input.type !== "radio" || !input.dataset.q) return;
    queue[input.dataset.q] = Number(input.value);
    persist();
    show();
    flush();
  });
  form.addEventListener("submit", async function (event) {
    if (submitting) return;
    event.preventDefault();
    await flush();
    if (Object.keys(queue).length) {
      fail(form.dataset.msgWait);
      return;
    }
    submitting = true;
    try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
    form.submit();
  });
  window.addEventListener("online", flush);
  setInterval(flush, 3000);
  show();
  flush();
})();
