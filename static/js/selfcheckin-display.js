// Projector page of self check-in: the QR changes every window. The page asks the server for the
// current code shortly after each change (and every few seconds), swaps the image once it has
// loaded, and counts down. Polling stops while the tab is hidden.
(() => {
  "use strict";
  const root = document.getElementById("self-checkin-display");
  if (!root || !root.dataset.url) return;
  const img = document.getElementById("self-checkin-qr");
  let windowNo = Number(root.dataset.window);
  let remaining = Number(root.dataset.expiresIn) || 30;
  const field = (name) => root.querySelector(`[data-field="${name}"]`);

  function show(data) {
    remaining = data.expires_in;
    field("self_count").textContent = String(data.self_count);
    if (data.window !== windowNo) {
      const next = new Image();
      next.onload = () => {
        img.src = next.src;
        windowNo = data.window;
        root.dataset.window = String(windowNo);
        field("url").textContent = data.url;
      };
      next.src = data.qr;
    }
  }

  async function poll() {
    if (document.hidden) return;
    try {
      const response = await fetch(root.dataset.url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.status === 409) {
        window.location.reload();
        return;
      }
      if (!response.ok) throw new Error(String(response.status));
      show(await response.json());
      field("error").classList.add("d-none");
    } catch (err) {
      field("error").classList.remove("d-none");
    }
  }

  window.setInterval(() => {
    remaining = Math.max(remaining - 1, 0);
    field("countdown").textContent = String(remaining);
    if (remaining === 0) poll();
  }, 1000);
  window.setInterval(poll, 5000);
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) poll();
  });
})();
