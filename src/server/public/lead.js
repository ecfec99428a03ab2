// Lead page: its score over time with chart.js (served by leadlift itself); the table beside it
// holds the same rows for anyone who cannot see the chart. Times are ISO strings: the x axis is
// milliseconds on a linear scale (chart.js's time scale would need a date adapter we do not ship).
(function () {
  'use strict';
  var dataEl = document.getElementById('lead-history-data');
  var canvas = document.getElementById('lead-history-chart');
  if (!dataEl || !canvas || !window.Chart) return;
  var points = JSON.parse(dataEl.textContent);
  var day = function (ms) { return new Date(ms).toISOString().slice(0, 16).replace('T', ' '); };
  new window.Chart(canvas, {
    type: 'line',
    data: {
      datasets: [
        { label: 'Score', data: points.map(function (p) { return { x: Date.parse(p.at), y: p.score, tier: p.tier }; }), borderColor: '#1f5fbf', backgroundColor: '#1f5fbf', borderWidth: 2.5, pointRadius: 4, pointStyle: 'circle', stepped: 'before' },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { title: function (items) { return day(items[0].raw.x) + ' UTC'; }, afterLabel: function (ctx) { return 'Tier: ' + ctx.raw.tier; } } },
      },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'Scored (UTC)' }, ticks: { maxTicksLimit: 6, callback: function (v) { return day(v); } } },
        y: { min: 0, max: 100, title: { display: true, text: 'Score' } },
      },
    },
  });
})();
