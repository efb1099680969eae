// Shared helpers for the page scripts: read json_script data, pick colours.
// Everything drawn from data goes onto a canvas; nothing here builds HTML.
(function () {
  "use strict";
  const palette = ["#1f5fa8", "#c0392b", "#1e8449", "#b9770e", "#6c3483", "#117a8b", "#7b7d7d", "#a04000", "#2e4053", "#d35400"];
  window.DashboardCharts = {
    data: function (id) {
      const holder = document.getElementById(id);
      return holder ? JSON.parse(holder.textContent) : null;
    },
    colour: function (index, alpha) {
      const hex = palette[index % palette.length];
      if (alpha === undefined) return hex;
      const n = parseInt(hex.slice(1), 16);
      return "rgba(" + (n >> 16) + ", " + ((n >> 8) & 255) + ", " + (n & 255) + ", " + alpha + ")";
    },
    stanceColour: { escalating: "#b03a2e", neutral: "#7b7d7d", conciliatory: "#1e8449" },
    ready: typeof Chart !== "undefined"
  };
  if (typeof Chart !== "undefined") {
    Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    Chart.defaults.color = "#3b4252";
    Chart.defaults.animation = false;
  }
})();
