// Actor and weapons-system pages: stacked monthly bars from #monthly-data.
(function () {
  "use strict";
  const C = window.DashboardCharts;
  const series = C && C.data("monthly-data");
  const canvas = document.getElementById("monthly-chart");
  if (!series || !canvas || !C.ready || !series.months.length) return;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: series.months,
      datasets: series.series.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: C.stanceColour[s.label] || C.colour(i, 0.8) };
      })
    },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { stacked: canvas.dataset.stacked !== "false", ticks: { maxTicksLimit: 12, maxRotation: 0, callback: function (v) { return this.getLabelForValue(v).slice(0, 7); } } },
        y: { stacked: canvas.dataset.stacked !== "false", beginAtZero: true, ticks: { precision: 0 } }
      }
    }
  });
})();
