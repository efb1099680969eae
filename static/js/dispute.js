// Draw the dispute timeline from the data the page hands over in #timeline-data.
(function () {
  "use strict";
  const holder = document.getElementById("timeline-data");
  const canvas = document.getElementById("timeline-chart");
  if (!holder || !canvas || typeof Chart === "undefined") return;
  const series = JSON.parse(holder.textContent);
  const markers = {};
  series.milestones.forEach(function (m, i) {
    markers["m" + i] = {
      type: "line", xMin: m.x, xMax: m.x, borderColor: "rgba(161, 42, 42, 0.55)", borderWidth: 1, borderDash: [4, 4],
      label: { display: false, content: m.label, position: "start", backgroundColor: "rgba(29, 35, 48, 0.85)", font: { size: 11 } },
      enter: function (ctx) { ctx.element.label.options.display = true; return true; },
      leave: function (ctx) { ctx.element.label.options.display = false; return true; }
    };
  });
  new Chart(canvas, {
    type: "bar",
    data: {
      datasets: [
        { label: "Articles per week", data: series.articles, backgroundColor: "rgba(31, 95, 168, 0.6)" },
        { label: "Statements per week", data: series.statements, backgroundColor: "rgba(242, 183, 5, 0.8)" }
      ]
    },
    options: {
      maintainAspectRatio: false,
      parsing: { xAxisKey: "x", yAxisKey: "y" },
      scales: { x: { type: "time", time: { unit: "month" } }, y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { annotation: { annotations: markers } }
    }
  });
})();
