// Model page: ROC curve and calibration plot with chart.js (served by leadlift itself). Each
// series is told apart by line style and point shape, not colour alone, and a data table sits
// beside each chart. Also keeps the status line current while a task runs.
(function () {
  'use strict';
  var dataEl = document.getElementById('model-curves');
  if (dataEl && window.Chart) {
    var curves = JSON.parse(dataEl.textContent);
    var diagonal = [{ x: 0, y: 0 }, { x: 1, y: 1 }];
    var axis = function (title, max) {
      return { type: 'linear', min: 0, max: max || 1, title: { display: true, text: title }, ticks: { callback: function (v) { return Math.round(v * 100) + '%'; } } };
    };
    var common = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: 'bottom', labels: { usePointStyle: true } } } };

    var roc = document.getElementById('roc-chart');
    if (roc) {
      new window.Chart(roc, {
        type: 'line',
        data: {
          datasets: [
            { label: 'This model', data: curves.roc.map(function (p) { return { x: p.fpr, y: p.tpr }; }), borderColor: '#1f5fbf', backgroundColor: '#1f5fbf', borderWidth: 2.5, pointRadius: 2, pointStyle: 'circle', tension: 0 },
            { label: 'Random order', data: diagonal, borderColor: '#6b7788', borderDash: [6, 5], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
          ],
        },
        options: Object.assign({}, common, { scales: { x: axis('False-positive rate (non-converters called)'), y: axis('True-positive rate (converters caught)') } }),
      });
    }

    var cal = document.getElementById('calibration-chart');
    // Conversion rates are often low: zoom to the range the bins cover (in steps of 10 points).
    var calTop = curves.calibration.reduce(function (m, b) { return Math.max(m, b.predicted, b.observed); }, 0);
    var calMax = Math.min(1, Math.max(0.1, Math.ceil(calTop * 1.05 * 10) / 10));
    if (cal) {
      new window.Chart(cal, {
        type: 'line',
        data: {
          datasets: [
            { label: 'Observed conversion', data: curves.calibration.map(function (b) { return { x: b.predicted, y: b.observed, leads: b.leads }; }), borderColor: '#b35c00', backgroundColor: '#b35c00', borderWidth: 2.5, pointRadius: 5, pointStyle: 'triangle', tension: 0 },
            { label: 'Perfect calibration', data: [{ x: 0, y: 0 }, { x: calMax, y: calMax }], borderColor: '#6b7788', borderDash: [6, 5], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
          ],
        },
        options: Object.assign({}, common, {
          scales: { x: axis('Predicted conversion (measuring fit, measured leads)', calMax), y: axis('Observed conversion', calMax) },
          plugins: Object.assign({}, common.plugins, {
            tooltip: { callbacks: { afterLabel: function (ctx) { return ctx.raw.leads ? ctx.raw.leads + ' leads' : ''; } } },
          }),
        }),
      });
    }
  }

  // While a task runs the status follows it (activity.js), and the page reloads at its end to show
  // what it changed (a new model, new figures) with "Retrain now" back.
  var activity = document.getElementById('activity');
  if (activity && activity.dataset.state === 'running' && window.leadliftActivity) {
    window.leadliftActivity(activity, { crm: activity.dataset.crm, onEnd: function () { window.location.reload(); } });
  }
})();
