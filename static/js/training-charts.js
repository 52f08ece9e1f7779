// Survey results: stacked bars of the answers (1-4) per element, from the canvas's data-chart.
(function () {
  "use strict";
  const canvas = document.getElementById("survey-chart");
  if (!canvas || !canvas.dataset.chart || typeof Chart === "undefined") return;
  const data = JSON.parse(canvas.dataset.chart);
  const colours = { 1: "#dc3545", 2: "#fd7e14", 3: "#0d6efd", 4: "#198754" };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: Object.keys(data.counts).map((v) => ({
        label: v, data: data.counts[v], backgroundColor: colours[v],
      })),
    },
    options: {
      indexAxis: "y",
      responsive: true,
      scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: true } },
    },
  });
})();
