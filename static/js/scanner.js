// Scanner page: camera (BarcodeDetector, else zxing-wasm), USB keyboard-wedge / typed codes,
// search by name or NIP, full-screen answers with sound and vibration, and an offline mode:
// the roster is kept in IndexedDB, scans are queued with nonces and synced when the network returns.
(() => {
  "use strict";
  const root = document.getElementById("scanner");
  if (!root) return;

  const cfg = root.dataset;
  const T = JSON.parse(cfg.i18n);
  const SESSIONS = JSON.parse(cfg.sessions);
  const EVENT_ID = Number(cfg.eventId);
  const CSRF = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const $ = (id) => document.getElementById(id);
  const el = {
    code: $("code"), form: $("code-form"), keyboard: $("keyboard"), session: $("session"),
    video: $("camera"), canvas: $("frame"), camStatus: $("camera-status"),
    camToggle: $("camera-toggle"), search: $("search"), searchHint: $("search-hint"),
    results: $("search-results"), recent: $("recent"), counter: $("counter"),
    net: $("net-status"), pending: $("pending"), conflicts: $("conflicts"),
    overlay: $("result"), rosterInfo: $("roster-info"), submit: $("code-submit"),
    scanPending: $("scan-pending"), scanPendingText: $("scan-pending-text"),
  };

  const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => String(values[k] ?? ""));
  const timeFmt = new Intl.DateTimeFormat("id-ID", {
    timeZone: "Asia/Jakarta", hour: "2-digit", minute: "2-digit", hour12: false,
  });
  const hhmm = (iso) => timeFmt.format(new Date(iso)).replace(":", ".");

  // --- ticket codes: the ticket URL, the bare code, or typed text (same rule as the server) ---
  const CODE = /^[A-Za-z0-9_-]{16,43}$/;
  const TICKET_PATH = /\/t\/([A-Za-z0-9_-]{16,43})\/?$/;
  function parseCode(raw) {
    const text = (raw || "").trim();
    if (!text || text.length > 500) return null;
    if (text.includes("/")) {
      let path = text;
      if (text.includes("://")) {
        try { path = new URL(text).pathname; } catch (e) { return null; }
      }
      const m = TICKET_PATH.exec(path);
      return m ? m[1] : null;
    }
    return CODE.test(text) ? text : null;
  }

  function newNonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // --- IndexedDB: roster per event, queue of scans waiting for the network ---
  const DB_NAME = "sosialisasi-checkin";
  let dbPromise = null;
  function idb() {
    if (!("indexedDB" in window)) return Promise.reject(new Error("no indexedDB"));
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = () => {
          const db = req.result;
          db.createObjectStore("roster", { keyPath: "event_id" });
          const queue = db.createObjectStore("queue", { keyPath: "nonce" });
          queue.createIndex("event_id", "event_id");
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbPromise;
  }
  function tx(store, mode, fn) {
    return idb().then((db) => new Promise((resolve, reject) => {
      const t = db.transaction(store, mode);
      const result = fn(t.objectStore(store));
      t.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    }));
  }
  const queueAll = () => tx("queue", "readonly", (s) => s.index("event_id").getAll(EVENT_ID))
    .then((items) => (items || []).sort((a, b) => a.scanned_at.localeCompare(b.scanned_at)))
    .catch(() => []);
  const queuePut = (item) => tx("queue", "readwrite", (s) => s.put(item));
  const queueDelete = (nonce) => tx("queue", "readwrite", (s) => s.delete(nonce));

  // --- state ---
  let roster = null; // {registrations: [...], byCode: Map}
  let rosterFetchedAt = 0;
  let pendingCount = 0;
  let busy = false;
  let needLogin = false;
  // A scan under a slow network: one request per code at a time, and the same code again within
  // REPEAT_MS of its answer is the same scan (shown again, not sent again). A request slower than
  // SLOW_MS keeps waiting, visibly; only a dropped network (or GIVE_UP_MS) queues it offline.
  const REPEAT_MS = (Number(cfg.sameScanSeconds) || 5) * 1000;
  const SLOW_MS = 5000;
  const GIVE_UP_MS = 45000;
  const inflight = new Map(); // "code|session" -> {code, promise, slow}
  const answered = new Map(); // "code|session" -> {answer, at}
  const controllers = new Set();
  let repeats = 0;
  const recent = [];
  const conflicts = [];

  function indexRoster(data) {
    const byCode = new Map();
    for (const r of data.registrations) byCode.set(r.code, r);
    return { ...data, byCode };
  }
  function saveRoster() {
    if (!roster) return;
    const { byCode, ...plain } = roster;
    tx("roster", "readwrite", (s) => s.put({ ...plain, event_id: EVENT_ID })).catch(() => {});
  }
  async function loadRoster() {
    try {
      const cached = await tx("roster", "readonly", (s) => s.get(EVENT_ID));
      if (cached && !roster) roster = indexRoster(cached);
    } catch (e) { /* no IndexedDB: online only */ }
    try {
      const res = await fetch(cfg.rosterUrl, { headers: { Accept: "application/json" } });
      if (res.ok) {
        rosterFetchedAt = Date.now();
        roster = indexRoster(await res.json());
        // Scans still waiting in the queue are check-ins the server has not seen yet.
        for (const item of await queueAll()) markLocal(item.code, item.session_id, item.scanned_at);
        saveRoster();
      }
    } catch (e) { /* offline: keep the cached roster */ }
    el.rosterInfo.textContent = roster
      ? fmt(T.roster_saved, { n: roster.registrations.length }) : T.roster_missing;
    updateCounter();
  }
  function markLocal(code, sessionId, at) {
    const r = roster && roster.byCode.get(code);
    if (r && !r.checkins[String(sessionId)]) r.checkins[String(sessionId)] = at;
  }

  const sessionId = () => Number(el.session.value) || null;
  const sessionInfo = (id) => SESSIONS.find((s) => s.id === id);

  // --- answers: full screen, sound, vibration, last scans ---
  let audio = null;
  function unlockAudio() {
    if (audio || !(window.AudioContext || window.webkitAudioContext)) return;
    try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
  }
  function beep(kind) {
    if (!audio || audio.state !== "running") return;
    const tones = { ok: [[880, 0, 0.12]], already: [[660, 0, 0.1], [660, 0.16, 0.1]], error: [[220, 0, 0.35]] }[kind];
    const t0 = audio.currentTime;
    for (const [freq, start, dur] of tones) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = kind === "error" ? "square" : "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.25, t0 + start);
      gain.gain.exponentialRampToValueAtTime(0.001, t0 + start + dur);
      osc.connect(gain).connect(audio.destination);
      osc.start(t0 + start);
      osc.stop(t0 + start + dur + 0.02);
    }
  }
  const kindOf = (result) => (result === "ok" ? "ok" : result === "already" ? "already" : "error");

  let overlayTimer = null;
  function show(answer, record = true) {
    const kind = kindOf(answer.result);
    const reg = answer.registration || {};
    el.overlay.dataset.result = kind;
    root.dataset.lastResult = answer.result;
    // An early arrival is not refused, the session is not open yet: "BELUM DIBUKA", not "DITOLAK".
    const early = answer.result === "not_open" && answer.message !== T.ended;
    $("result-title").textContent = early ? T.not_yet : T[kind];
    $("result-name").textContent = reg.name || "";
    $("result-unit").textContent = reg.unit || "";
    $("result-message").textContent = answer.message || "";
    el.overlay.classList.remove("d-none");
    beep(kind);
    if (navigator.vibrate) {
      try { navigator.vibrate(kind === "ok" ? 80 : kind === "already" ? [60, 60, 60] : [200, 80, 200]); } catch (e) { /* ignore */ }
    }
    clearTimeout(overlayTimer);
    overlayTimer = setTimeout(hideOverlay, kind === "ok" ? 1200 : 2500);
    if (record) addRecent(answer, kind);
  }
  function hideOverlay() {
    el.overlay.classList.add("d-none");
    focusCode();
  }
  function addRecent(answer, kind) {
    if (answer) recent.unshift({ ...answer, kind, at: new Date() });
    recent.length = Math.min(recent.length, 10);
    el.recent.replaceChildren(...recent.map((r) => {
      const li = document.createElement("li");
      li.className = "list-group-item d-flex justify-content-between gap-2 px-0";
      li.dataset.result = r.result;
      const who = document.createElement("span");
      const reg = r.registration || {};
      who.textContent = reg.name ? `${reg.name}${reg.unit ? " · " + reg.unit : ""}` : r.message;
      const badge = document.createElement("span");
      badge.className = `badge align-self-start text-bg-${{ ok: "success", already: "warning", error: "danger" }[r.kind]}`;
      badge.textContent = `${hhmm(r.at.toISOString())} ${r.undone ? T.undone : T[r.kind]}${r.queued ? " ⏳" : ""}`;
      const right = document.createElement("div");
      right.className = "text-end";
      right.append(badge);
      if (cfg.canUndo && r.result === "ok" && r.undo_url && !r.undone) {
        const undo = document.createElement("button");
        undo.type = "button";
        undo.className = "btn btn-link btn-sm text-danger p-0 d-block ms-auto";
        undo.textContent = T.undo;
        undo.addEventListener("click", () => undoScan(r));
        right.append(undo);
      }
      li.append(who, right);
      return li;
    }));
  }
  function renderRecent() { addRecent(null); }

  // Organizers undo a wrong scan right here (the reason goes to the audit log).
  async function undoScan(r) {
    const reason = window.prompt(fmt(T.undo_reason, { name: (r.registration || {}).name || "" }));
    if (!reason || reason.trim().length < 3) { focusCode(); return; }
    try {
      const res = await fetch(r.undo_url, {
        method: "DELETE",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": CSRF },
        body: JSON.stringify({ reason: reason.trim() }),
      });
      const body = await res.json().catch(() => ({}));
      if (res.ok) {
        r.undone = true;
        r.kind = "error";
        for (const key of [...answered.keys()]) if (key.startsWith(`${r.code}|`)) answered.delete(key);
        r.message = body.message;
        const entry = roster && roster.byCode.get(r.code);
        if (entry && r.session) delete entry.checkins[String(r.session.id)];
        if (present) present -= 1;
        updateCounter();
        saveRoster();
      }
      el.rosterInfo.textContent = body.message || T.server_error;
    } catch (e) {
      el.rosterInfo.textContent = T.server_error;
    }
    renderRecent();
    focusCode();
  }

  // --- checking in: online first, else validate on the phone and queue ---
  async function post(item, timeoutMs, onSlow) {
    const ctrl = new AbortController();
    controllers.add(ctrl);
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    const slowTimer = onSlow ? setTimeout(onSlow, SLOW_MS) : null;
    try {
      const res = await fetch(cfg.checkinUrl, {
        method: "POST",
        credentials: "same-origin",
        signal: ctrl.signal,
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": CSRF },
        body: JSON.stringify({
          code: item.code, session_id: item.session_id, nonce: item.nonce,
          scanned_at: item.scanned_at, method: item.method,
        }),
      });
      let body = null;
      try { body = await res.json(); } catch (e) { body = null; }
      return { status: res.status, body };
    } finally {
      clearTimeout(timer);
      clearTimeout(slowTimer);
      controllers.delete(ctrl);
    }
  }

  // --- the pending state: input disabled, spinner, the code shown ---
  function renderPending() {
    const items = [...inflight.values()];
    const on = items.length > 0;
    root.dataset.inflight = String(items.length);
    el.code.disabled = on;
    if (el.submit) el.submit.disabled = on;
    el.scanPending.classList.toggle("d-none", !on);
    if (on) {
      const last = items[items.length - 1];
      el.scanPendingText.textContent = fmt(last.slow ? T.slow : T.checking, { code: last.code });
      root.dataset.slow = last.slow ? "1" : "0";
    } else {
      delete root.dataset.slow;
      focusCode();
    }
  }

  function localAnswer(item) {
    const r = roster && roster.byCode.get(item.code);
    if (!r) return { result: "unknown", message: roster ? T.offline_unknown : T.roster_missing };
    const reg = { name: r.name, unit: r.unit, role: r.role };
    if (r.status !== "registered") return { result: "cancelled", message: T.not_registered, registration: reg };
    const s = sessionInfo(item.session_id);
    const now = new Date(item.scanned_at);
    if (s && now < new Date(s.opens_at)) return { result: "not_open", message: T.not_open, registration: reg };
    if (s && now > new Date(s.ends_at)) return { result: "not_open", message: T.ended, registration: reg };
    const first = r.checkins[String(item.session_id)];
    if (first) {
      return { result: "already", message: `${r.name} ${fmt(T.already_at, { time: hhmm(first) })}`, registration: reg, checked_in_at: first };
    }
    return { result: "ok", message: T.offline_ok, registration: reg, checked_in_at: item.scanned_at, queued: true };
  }

  // ``fromCamera``: a ticket still in view is ignored silently; typed and USB scans show the
  // earlier answer again, so the person at the desk sees why nothing new happened.
  function submit(raw, method, fromCamera = false) {
    const code = parseCode(raw);
    if (!code) {
      show({ result: "unknown", message: T.unknown_code });
      return Promise.resolve();
    }
    const key = `${code}|${sessionId()}`;
    const running = inflight.get(key);
    if (running) return running.promise; // the same scan, still on its way: never sent twice
    const previous = answered.get(key);
    if (previous && performance.now() - previous.at < REPEAT_MS) {
      if (!fromCamera) {
        repeats += 1;
        root.dataset.repeats = String(repeats);
        show(previous.answer, false);
      }
      return Promise.resolve();
    }
    const entry = { code, slow: false, promise: null };
    entry.promise = send(code, method, () => { entry.slow = true; renderPending(); })
      .then((answer) => { answered.set(key, { answer, at: performance.now() }); })
      .finally(() => { inflight.delete(key); renderPending(); });
    inflight.set(key, entry);
    renderPending();
    return entry.promise;
  }

  async function send(code, method, onSlow) {
    const item = {
      nonce: newNonce(), event_id: EVENT_ID, code, session_id: sessionId(),
      scanned_at: new Date().toISOString(), method,
    };
    busy = true;
    try {
      let answer = null;
      if (navigator.onLine) {
        try {
          const res = await post(item, GIVE_UP_MS, onSlow);
          if (res.body && res.body.result) {
            answer = res.body;
            if (answer.checked_in_at) markLocal(code, (answer.session || {}).id || item.session_id, answer.checked_in_at);
            if (answer.result === "ok") { bumpCounter(); saveRoster(); }
          } else if (res.status >= 500 || res.status === 401 || (res.status === 400 && !(res.body && res.body.reason))) {
            // Server trouble, or the login (or its CSRF token) has expired: keep the scan on the
            // phone and send it after logging in again.
            if (res.status < 500) needLogin = true;
            answer = null;
          } else {
            answer = { result: "error", message: (res.body && res.body.message) || T.server_error };
          }
        } catch (e) {
          answer = null; // the network dropped (or no answer at all after GIVE_UP_MS)
        }
      }
      if (!answer) {
        if (!needLogin) setOnline(false);
        answer = localAnswer(item);
        if (answer.result === "ok") {
          // The same nonce: if the lost request did reach the server, the sync changes nothing.
          item.method = "offline";
          await queuePut(item).catch(() => {});
          markLocal(code, item.session_id, item.scanned_at);
          saveRoster();
          bumpCounter();
          await refreshPending();
        }
      }
      const shown = { ...answer, code };
      show(shown);
      return shown;
    } finally {
      busy = false;
    }
  }

  // --- sync of the queue ---
  let syncing = false;
  async function sync() {
    if (syncing) return;
    syncing = true;
    let sent = 0;
    try {
      for (const item of await queueAll()) {
        let res;
        try {
          res = await post(item, 8000);
        } catch (e) {
          setOnline(false);
          break;
        }
        if (res.status === 401 || res.status === 403 || (res.status === 400 && !(res.body && res.body.reason))) {
          needLogin = true;
          break;
        }
        needLogin = false;
        if (res.status >= 500) break;
        setOnline(true);
        await queueDelete(item.nonce);
        sent += 1;
        const body = res.body || {};
        if (body.result !== "ok") conflicts.push(body);
      }
    } finally {
      syncing = false;
    }
    await refreshPending();
    renderConflicts();
    if (sent) {
      root.dataset.lastSync = String(sent);
      el.rosterInfo.textContent = fmt(T.synced, { n: sent });
      loadRoster();
      loadCounter();
    }
  }
  function renderConflicts() {
    if (!conflicts.length) return;
    el.conflicts.classList.remove("d-none");
    el.conflicts.querySelector("ul").replaceChildren(...conflicts.map((c) => {
      const li = document.createElement("li");
      const name = (c.registration && c.registration.name) || "";
      li.textContent = name ? `${name}: ${c.message}` : c.message;
      return li;
    }));
  }
  async function refreshPending() {
    pendingCount = (await queueAll()).length;
    root.dataset.pending = String(pendingCount);
    el.pending.classList.toggle("d-none", pendingCount === 0 && !needLogin);
    el.pending.textContent = needLogin ? `${fmt(T.pending, { n: pendingCount })}. ${T.login_again}`
      : fmt(T.pending, { n: pendingCount });
  }
  function setOnline(on) {
    el.net.textContent = on ? T.online : T.offline;
    el.net.className = `badge ${on ? "text-bg-success" : "text-bg-secondary"}`;
    root.dataset.online = on ? "1" : "0";
  }

  // --- counters ---
  let present = null;
  let registered = null;
  function updateCounter() {
    if (present === null && roster) {
      const sid = String(sessionId());
      const active = roster.registrations.filter((r) => r.status === "registered");
      registered = active.length;
      present = active.filter((r) => r.checkins[sid]).length;
    }
    el.counter.textContent = present === null ? "–" : `${present} / ${registered}`;
  }
  function bumpCounter() {
    if (present !== null) present += 1;
    updateCounter();
  }
  async function loadCounter() {
    try {
      const url = `${cfg.attendanceUrl}?session_id=${encodeURIComponent(sessionId() || "")}`;
      const res = await fetch(url, { headers: { Accept: "application/json" } });
      if (!res.ok) return;
      const data = await res.json();
      const s = data.session || (data.sessions || []).find((x) => x.id === sessionId());
      if (s) { present = s.present; registered = data.registered; }
      updateCounter();
    } catch (e) { /* offline: keep the local figure */ }
  }

  // --- typed codes and USB keyboard-wedge scanners ---
  function focusCode() {
    const active = document.activeElement;
    if (active && active !== document.body && active !== el.code &&
        (active === el.search || active === el.session || active.closest("#search-results, nav, form:not(#code-form)"))) return;
    el.code.focus({ preventScroll: true });
  }
  el.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const raw = el.code.value;
    el.code.value = "";
    if (raw.trim()) submit(raw, raw.includes("/") ? "qr" : "manual");
  });
  el.code.addEventListener("blur", () => setTimeout(focusCode, 300));
  el.keyboard.addEventListener("click", () => {
    el.code.setAttribute("inputmode", el.code.getAttribute("inputmode") === "none" ? "text" : "none");
    el.code.blur();
    el.code.focus();
  });
  el.overlay.addEventListener("click", hideOverlay);
  document.addEventListener("pointerdown", unlockAudio, { once: true });
  document.addEventListener("keydown", unlockAudio, { once: true });
  el.session.addEventListener("change", () => { present = null; updateCounter(); loadCounter(); focusCode(); });

  // --- search by name or NIP: matches only ---
  let searchTimer = null;
  let searchSeq = 0;
  function searchable(q) {
    const digits = q.replace(/\s+/g, "");
    return /^\d+$/.test(digits) ? digits.length >= 4 : q.trim().length >= 3;
  }
  // Folded as the server folds (common.text.fold): case, accents and punctuation do not matter.
  function fold(text) {
    return (text || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[^a-z0-9]+/g, " ").trim();
  }
  function localSearch(q) {
    if (!roster) return [];
    const digits = q.replace(/\s+/g, "");
    const isNip = /^\d+$/.test(digits);
    const needle = fold(q);
    return roster.registrations
      .filter((r) => (isNip ? (r.nip || "").includes(digits)
        : fold(r.name).includes(needle) || fold(r.unit).includes(needle)))
      .slice(0, 8);
  }
  async function runSearch() {
    const q = el.search.value;
    const seq = ++searchSeq;
    if (!searchable(q)) {
      el.results.replaceChildren();
      el.searchHint.textContent = q.trim() ? T.search_hint : "";
      return;
    }
    el.searchHint.textContent = "";
    let results = null;
    if (navigator.onLine) {
      try {
        const res = await fetch(`${cfg.searchUrl}?q=${encodeURIComponent(q)}`, { headers: { Accept: "application/json" } });
        if (res.ok) results = (await res.json()).results;
      } catch (e) { results = null; }
    }
    if (results === null) results = localSearch(q);
    if (seq !== searchSeq) return;
    if (!results.length) {
      el.searchHint.textContent = T.no_match;
      el.results.replaceChildren();
      return;
    }
    el.results.replaceChildren(...results.map((r) => {
      const li = document.createElement("li");
      li.className = "list-group-item d-flex justify-content-between align-items-center gap-2";
      const who = document.createElement("div");
      const name = document.createElement("div");
      name.className = "fw-semibold";
      name.textContent = r.name;
      const meta = document.createElement("div");
      meta.className = "small text-muted";
      meta.textContent = [r.unit, r.nip ? `NIP ${r.nip}` : ""].filter(Boolean).join(" · ");
      who.append(name, meta);
      const btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-sm btn-success text-nowrap";
      btn.textContent = T.check_in;
      btn.addEventListener("click", () => {
        el.search.value = "";
        el.results.replaceChildren();
        submit(r.code, "manual").then(focusCode);
      });
      li.append(who, btn);
      return li;
    }));
  }
  el.search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 250);
  });
  el.search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); clearTimeout(searchTimer); runSearch(); }
  });

  // --- camera: native BarcodeDetector, else zxing-wasm (vendored, .wasm from /static) ---
  let stream = null;
  let decoder = null;
  let lastText = null;
  let lastSeen = 0;
  let decodes = 0;
  const SAME_CODE_GAP_MS = 2000; // a code still in view is not scanned twice

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      document.head.append(s);
    });
  }
  async function makeDecoder() {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) {
          const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          root.dataset.decoder = "native";
          return async (video) => {
            const codes = await detector.detect(video);
            return codes.length ? codes[0].rawValue : null;
          };
        }
      } catch (e) { /* fall back to zxing-wasm */ }
    }
    if (!window.ZXingWASM) await loadScript(cfg.zxingUrl);
    window.ZXingWASM.prepareZXingModule({
      overrides: {
        locateFile: (path, prefix) => (path.endsWith(".wasm") ? cfg.wasmUrl : prefix + path),
      },
    });
    root.dataset.decoder = "zxing-wasm";
    const ctx = el.canvas.getContext("2d", { willReadFrequently: true });
    const options = { formats: ["QRCode"], tryHarder: true, maxNumberOfSymbols: 1 };
    return async (video) => {
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (!w || !h) return null;
      if (el.canvas.width !== w) { el.canvas.width = w; el.canvas.height = h; }
      ctx.drawImage(video, 0, 0, w, h);
      const results = await window.ZXingWASM.readBarcodes(ctx.getImageData(0, 0, w, h), options);
      const hit = results.find((r) => r.isValid !== false && r.text);
      return hit ? hit.text : null;
    };
  }
  async function startCamera() {
    if (!window.isSecureContext || !navigator.mediaDevices) {
      el.camStatus.textContent = T.camera_insecure;
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false, video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (e) {
      el.camStatus.textContent = T.camera_denied;
      return;
    }
    el.video.srcObject = stream;
    el.video.dataset.on = "1";
    await el.video.play().catch(() => {});
    el.camStatus.textContent = T.camera_on;
    el.camToggle.textContent = T.stop_camera;
    try {
      decoder = decoder || (await makeDecoder());
    } catch (e) {
      el.camStatus.textContent = T.camera_denied;
      return;
    }
    root.dataset.camera = "on";
    scanLoop();
  }
  function stopCamera() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    el.video.srcObject = null;
    delete el.video.dataset.on;
    root.dataset.camera = "off";
    el.camStatus.textContent = T.camera_off;
    el.camToggle.textContent = T.start_camera;
  }
  async function scanLoop() {
    while (stream) {
      const started = performance.now();
      if (!busy && el.video.readyState >= 2) {
        let text = null;
        try { text = await decoder(el.video); } catch (e) { text = null; }
        const now = performance.now();
        if (text) {
          decodes += 1;
          root.dataset.decodes = String(decodes);
          const same = text === lastText && now - lastSeen < SAME_CODE_GAP_MS;
          lastText = text;
          lastSeen = now; // still in view: one scan however long it stays
          if (!same) {
            await submit(text, "qr", true);
            lastSeen = performance.now(); // from the answer: a slow round trip is not a new view
          }
        }
      }
      const wait = Math.max(0, 120 - (performance.now() - started));
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  el.camToggle.addEventListener("click", () => (stream ? stopCamera() : startCamera()));

  // --- network state, service worker, start ---
  window.addEventListener("online", () => { setOnline(true); sync(); });
  window.addEventListener("offline", () => {
    setOnline(false);
    for (const ctrl of controllers) ctrl.abort(); // waiting is pointless: answer from the phone
  });
  const ROSTER_REFRESH_MS = 5 * 60 * 1000; // walk-ins and late registrations reach the phone
  setInterval(() => {
    if (!navigator.onLine) return;
    sync();
    loadCounter();
    if (Date.now() - rosterFetchedAt > ROSTER_REFRESH_MS) loadRoster();
  }, 15000);

  if ("serviceWorker" in navigator && window.isSecureContext) {
    // A page the worker served is in its cache already (network first); only a load before the
    // worker (the first) fetches the page again to keep it for offline use.
    const servedByWorker = Boolean(navigator.serviceWorker.controller);
    navigator.serviceWorker.register(cfg.swUrl, { scope: cfg.swScope })
      .then(() => navigator.serviceWorker.ready)
      .then(() => caches.open("checkin-pages-v1"))
      .then((cache) => (servedByWorker ? null : cache.add(location.pathname)))
      .then(() => { root.dataset.offlineReady = "1"; })
      .catch(() => { /* the page still works online */ });
  }

  setOnline(navigator.onLine);
  focusCode();
  refreshPending();
  loadRoster().then(() => { if (navigator.onLine) sync(); });
  loadCounter();
  startCamera();
})();
