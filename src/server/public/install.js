// Connections page: while an install runs, polls /install/status.json and moves the progress bar.
(function () {
  'use strict';
  var cards = document.querySelectorAll('.crm-card');
  if (cards.length === 0) return;
  var steps = { schema: 0, sync: 1, train: 2, score: 3, push: 4 };

  function render(card, a) {
    var box = card.querySelector('[data-progress]');
    if (!a || a.state === 'idle') return;
    box.hidden = false;
    var stepShare = a.total > 0 ? a.done / a.total : 0;
    var pct = a.state === 'done' ? 100 : Math.min(99, Math.round(((steps[a.step] || 0) + stepShare) / 5 * 100));
    card.querySelector('[data-fill]').style.width = pct + '%';
    card.querySelector('[role="progressbar"]').setAttribute('aria-valuenow', String(pct));
    card.querySelector('[data-message]').textContent = (a.state === 'failed' ? 'Failed: ' : a.state === 'done' ? 'Done. ' : '') + a.message;
  }

  function tick() {
    fetch('/install/status.json', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (all) {
        var running = false;
        cards.forEach(function (card) {
          var a = all[card.dataset.crm];
          render(card, a);
          if (a && a.state === 'running') running = true;
        });
        if (running) setTimeout(tick, 1000);
      })
      .catch(function () { setTimeout(tick, 5000); });
  }
  tick();
})();
