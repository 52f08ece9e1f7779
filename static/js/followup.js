// Follow-up pages: charts from data-chart attributes, plan form helpers. No inline scripts (CSP).
(function () {
  "use strict";

  // Fallback colours when the server sends none: A hijau tua, B hijau muda, never the same.
  const FALLBACK = {
    A: "#0b6b2f",
    HIJAU: "#0b6b2f",
    B: "#8fd694",
    C: "#ffc107",
    KUNING: "#ffc107",
  };

  function hexToRgba(hex, alpha) {
    const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(String(hex || ""));
    if (!m) return `rgba(220, 53, 69, ${alpha})`;
    return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})`;
  }

  function bandColor(band, alpha) {
    const hex = band.color || FALLBACK[String(band.category).toUpperCase()] || "#dc3545";
    return hexToRgba(hex, alpha);
  }

  function drawCharts() {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll("canvas[data-followup-chart]").forEach((canvas) => {
      let data;
      try {
        data = JSON.parse(canvas.dataset.chart || "{}");
      } catch (err) {
        return;
      }
      const type = canvas.dataset.followupChart === "line" ? "line" : "bar";
      const horizontal = type === "bar";
      const bands = data.bands || [];
      const dataset = {
        label: data.label || "",
        data: data.values || [],
        borderColor: "#0d6efd",
        backgroundColor:
          type === "bar"
            ? (data.values || []).map((v, i) =>
                data.colors && data.colors[i] ? hexToRgba(data.colors[i], 0.85) : "rgba(13, 110, 253, 0.6)",
              )
            : "#0d6efd",
        tension: 0.2,
        spanGaps: true,
      };
      const scale = { min: 0, max: 100 };
      new window.Chart(canvas, {
        type: type,
        data: { labels: data.labels || [], datasets: [dataset] },
        options: {
          indexAxis: horizontal ? "y" : "x",
          maintainAspectRatio: false,
          animation: false,
          scales: horizontal ? { x: scale } : { y: scale },
          plugins: { legend: { display: false } },
        },
        plugins: [
          {
            id: "bands",
            beforeDraw(chart) {
              const axis = chart.scales[horizontal ? "x" : "y"];
              const area = chart.chartArea;
              if (!axis || !area) return;
              const ctx = chart.ctx;
              ctx.save();
              bands.forEach((band) => {
                const a = axis.getPixelForValue(band.min);
                const b = axis.getPixelForValue(band.max);
                ctx.fillStyle = bandColor(band, 0.12);
                if (horizontal) {
                  ctx.fillRect(Math.min(a, b), area.top, Math.abs(b - a), area.bottom - area.top);
                } else {
                  ctx.fillRect(area.left, Math.min(a, b), area.right - area.left, Math.abs(b - a));
                }
              });
              ctx.restore();
            },
          },
        ],
      });
      canvas.dataset.drawn = "1";
    });
  }

  function planForm() {
    document.querySelectorAll("[data-followup-reload]").forEach((select) => {
      select.addEventListener("change", () => {
        const url = new URL(window.location.href);
        url.searchParams.set("framework_id", select.value);
        window.location.assign(url.toString());
      });
    });
    document.querySelectorAll("[data-followup-template]").forEach((select) => {
      select.addEventListener("change", () => {
        const option = select.options[select.selectedIndex];
        if (!option || !option.dataset.indicators) return;
        const wanted = new Set(JSON.parse(option.dataset.indicators).map(String));
        select.form.querySelectorAll("input[name=indicators]").forEach((box) => {
          box.checked = wanted.has(box.value);
        });
      });
    });
    document.querySelectorAll("[data-followup-check]").forEach((button) => {
      button.addEventListener("click", () => {
        const group = button.dataset.followupCheck;
        const boxes = document.querySelectorAll(`input[data-dim="${group}"]`);
        const all = Array.from(boxes).every((b) => b.checked);
        boxes.forEach((b) => {
          b.checked = !all;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    drawCharts();
    planForm();
  });
})();
