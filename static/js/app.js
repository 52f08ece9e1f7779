// Small behaviours shared by every page (no inline scripts: the CSP forbids them).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Signing out clears the check-in roster this browser keeps for offline use (names, NIPs and ticket
// codes of every participant of the events scanned here). Scans still waiting for the network stay
// queued: they are attendance, and the next sign-in on the scanner page sends them.
const CHECKIN_DB = "sosialisasi-checkin";

function clearCheckinRoster() {
  return new Promise((resolve) => {
    if (!("indexedDB" in window)) return resolve();
    let req;
    try {
      req = indexedDB.open(CHECKIN_DB);
    } catch (e) {
      return resolve();
    }
    // The scanner never ran in this browser: do not create its database here.
    req.onupgradeneeded = () => req.transaction.abort();
    req.onerror = () => resolve();
    req.onblocked = () => resolve();
    req.onsuccess = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains("roster")) {
        db.close();
        return resolve();
      }
      const t = db.transaction("roster", "readwrite");
      t.objectStore("roster").clear();
      t.oncomplete = t.onerror = t.onabort = () => {
        db.close();
        resolve();
      };
    };
  });
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-logout]");
  if (!form || event.defaultPrevented || form.dataset.rosterCleared) return;
  event.preventDefault();
  const giveUp = new Promise((resolve) => setTimeout(resolve, 2000)); // never block signing out
  Promise.race([clearCheckinRoster(), giveUp]).then(() => {
    form.dataset.rosterCleared = "1";
    form.submit();
  });
});

// A table wider than the screen scrolls sideways inside its box (.table-responsive). When nothing
// in the box can take the focus (no link, button or field), the box itself becomes focusable so
// that a keyboard user can reach it and scroll it with the arrow keys (WCAG 2.1.1). Boxes filled
// later (import preview, live dashboards) are handled when they change.
function focusableScrollBoxes() {
  for (const box of document.querySelectorAll(".table-responsive:not([tabindex])")) {
    if (box.scrollWidth > box.clientWidth + 1
        && !box.querySelector("a[href], button, input, select, textarea, [tabindex]")) {
      box.tabIndex = 0;
    }
  }
}
let scrollBoxesQueued = false;
function queueScrollBoxes() {
  if (scrollBoxesQueued) return;
  scrollBoxesQueued = true;
  requestAnimationFrame(() => {
    scrollBoxesQueued = false;
    focusableScrollBoxes();
  });
}
focusableScrollBoxes();
window.addEventListener("load", queueScrollBoxes);
window.addEventListener("resize", queueScrollBoxes);
new MutationObserver(queueScrollBoxes).observe(document.body, { childList: true, subtree: true });
