// The dispute page: weekly timeline (totals, by side or by top speakers) with milestone
// markers, and the monthly net stance of each side. Data comes from #timeline-data.
(function () {
  "use strict";
  const C = window.DashboardCharts;
  const series = C && C.data("timeline-data");
  if (!series || !C.ready || !series.weeks.length) return;

  function addDays(iso, days) {
    const d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  function openWeek(week) {
    const target = new URL(series.timeline_url, window.location.origin);
    if (target.origin !== window.location.origin) return;
    target.searchParams.set("since", week);
    target.searchParams.set("until", addDays(week, 6));
    window.location.assign(target.pathname + target.search);
  }

  const markers = {};
  series.milestones.forEach(function (m, i) {
    markers["m" + i] = {
      type: "line", scaleID: "x", value: m.x, borderColor: "rgba(161, 42, 42, 0.6)", borderWidth: 1, borderDash: [4, 4],
      label: { display: false, content: m.date + " " + m.label, position: "start", backgroundColor: "rgba(29, 35, 48, 0.9)", color: "#fff", font: { size: 11 } },
      enter: function (ctx) { ctx.element.label.options.display = true; return true; },
      leave: function (ctx) { ctx.element.label.options.display = false; return true; }
    };
  });

  function datasets(mode) {
    const articles = { type: "line", label: "Articles", data: series.articles, borderColor: "#2e4053", backgroundColor: "#2e4053", borderWidth: 1.5, pointRadius: 0, tension: 0.2, order: 0, stack: "articles" };
    if (mode === "sides") {
      return [articles].concat(series.sides.map(function (s, i) {
        return { label: "Statements: " + s.label, data: s.data, backgroundColor: C.colour(i + 1, 0.75), stack: "statements", order: 1 };
      }));
    }
    if (mode === "speakers") {
      return series.speakers.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: C.colour(i, 0.8), stack: "statements", order: 1 };
      });
    }
    return [articles, { label: "Statements", data: series.statements, backgroundColor: "rgba(242, 183, 5, 0.85)", stack: "statements", order: 1 }];
  }

  const timeline = new Chart(document.getElementById("timeline-chart"), {
    type: "bar",
    data: { labels: series.weeks, datasets: datasets("total") },
    options: {
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { stacked: true, ticks: { maxTicksLimit: 12, maxRotation: 0, callback: function (v) { return this.getLabelForValue(v).slice(0, 7); } } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
      },
      plugins: {
        annotation: { annotations: markers },
        tooltip: { callbacks: { title: function (items) { return items.length ? "Week of " + items[0].label : ""; } } }
      },
      onClick: function (event, elements, chart) {
        const hits = chart.getElementsAtEventForMode(event, "index", { intersect: false }, true);
        if (hits.length) openWeek(series.weeks[hits[0].index]);
      },
      onHover: function (event, elements) {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      }
    }
  });

  const toggle = document.getElementById("timeline-mode");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("change", function (event) {
      timeline.data.datasets = datasets(event.target.value);
      timeline.update();
    });
  }

  const toneCanvas = document.getElementById("tone-chart");
  if (toneCanvas && series.tone.length) {
    new Chart(toneCanvas, {
      type: "line",
      data: {
        labels: series.months,
        datasets: series.tone.map(function (s, i) {
          return { label: s.label, data: s.data, borderColor: C.colour(i + 1), backgroundColor: C.colour(i + 1), spanGaps: true, pointRadius: 1.5, borderWidth: 1.5, tension: 0.25 };
        })
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { ticks: { maxTicksLimit: 12, maxRotation: 0, callback: function (v) { return this.getLabelForValue(v).slice(0, 7); } } },
          y: { min: -1, max: 1, ticks: { stepSize: 0.5 }, title: { display: true, text: "conciliatory ← → escalating" } }
        }
      }
    });
  }
})();
