// Live attendance dashboard: polls the JSON summary every few seconds (paused while the tab is
// hidden), updates the counters, the per-unit table and the Chart.js chart. No inline script.
(() => {
  "use strict";
  const root = document.getElementById("attendance-dashboard");
  if (!root) return;
  const url = root.dataset.url;
  const every = Number(root.dataset.refresh) || 5000;
  const labels = {
    onTime: root.dataset.labelOnTime,
    late: root.dataset.labelLate,
    absent: root.dataset.labelAbsent,
    nobody: root.dataset.labelNobody,
    notInvited: root.dataset.labelNotInvited,
  };
  let chart = null;
  let timer = null;

  function setField(name, value) {
    root.querySelectorAll(`[data-field="${name}"]`).forEach((el) => {
      el.textContent = value === null || value === undefined ? "-" : String(value);
    });
  }

  function badge(text, kind) {
    const span = document.createElement("span");
    span.className = `badge text-bg-${kind} ms-1`;
    span.textContent = text;
    return span;
  }

  function cell(value) {
    const td = document.createElement("td");
    td.className = "text-end";
    td.textContent = value === null || value === undefined ? "-" : String(value);
    return td;
  }

  function renderUnits(units) {
    const body = document.getElementById("unit-rows");
    if (!body || !units.length) return;
    const rows = units.map((u) => {
      const tr = document.createElement("tr");
      tr.dataset.unit = u.id === null ? "" : String(u.id);
      const nobody = u.present === 0 && u.id !== null;
      if (nobody) tr.className = "table-danger";
      const name = document.createElement("td");
      name.textContent = u.name;
      if (nobody) name.append(badge(labels.nobody, "danger"));
      if (!u.invited) name.append(badge(labels.notInvited, "light"));
      tr.append(name, cell(u.quota), cell(u.registered), cell(u.present), cell(u.eligible));
      return tr;
    });
    body.replaceChildren(...rows);
  }

  function renderSessions(sessions) {
    sessions.forEach((s) => {
      const tr = document.querySelector(`#session-rows tr[data-session="${s.id}"]`);
      if (!tr) return;
      ["present", "late", "absent"].forEach((col) => {
        const td = tr.querySelector(`[data-col="${col}"]`);
        if (td) td.textContent = String(s[col]);
      });
    });
  }

  function renderChart(sessions) {
    const canvas = document.getElementById("attendance-chart");
    if (!canvas || typeof window.Chart === "undefined") return;
    const data = {
      labels: sessions.map((s) => s.title),
      datasets: [
        { label: labels.onTime, data: sessions.map((s) => s.on_time), backgroundColor: "#198754" },
        { label: labels.late, data: sessions.map((s) => s.late), backgroundColor: "#ffc107" },
        { label: labels.absent, data: sessions.map((s) => s.absent), backgroundColor: "#adb5bd" },
      ],
    };
    if (chart) {
      chart.data = data;
      chart.update("none");
      return;
    }
    chart = new window.Chart(canvas, {
      type: "bar",
      data,
      options: {
        indexAxis: "y",
        responsive: true,
        animation: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  function render(data) {
    setField("registered", data.registered);
    setField("present", data.present);
    setField("absent", data.absent);
    setField("late", data.late);
    setField("eligible", data.eligible.count);
    setField("units_absent", data.units_without_attendance.length);
    const at = data.generated_at ? new Date(data.generated_at) : new Date();
    const time = at.toLocaleTimeString("id-ID", { timeZone: "Asia/Jakarta", hour12: false });
    setField("updated", `${time} WIB`);
    renderSessions(data.sessions);
    renderUnits(data.units);
    renderChart(data.sessions);
    root.dataset.loaded = String(Date.now());
  }

  async function refresh() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) render(await response.json());
    } catch (err) {
      // Network hiccup: keep the last figures and try again at the next tick.
    }
  }

  function start() {
    if (timer === null) timer = window.setInterval(refresh, every);
  }

  function stop() {
    if (timer !== null) window.clearInterval(timer);
    timer = null;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      stop();
    } else {
      refresh();
      start();
    }
  });
  refresh();
  if (!document.hidden) start();
})();
