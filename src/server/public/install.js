// Connections page: while an install runs, polls /install/status.json and moves the progress bar.
(function () {
  'use strict';
  var cards = document.querySelectorAll('.crm-card');
  if (cards.length === 0) return;
  // A rescore (a webhook's, a tier save's) has no schema or training step: its bar runs over its own three.
  var steps = { schema: 0, sync: 1, train: 2, score: 3, push: 4 };
  var rescoreSteps = { sync: 0, score: 1, push: 2 };

  function render(card, a) {
    var box = card.querySelector('[data-progress]');
    if (!a || a.state === 'idle') return;
    box.hidden = false;
    var own = a.task === 'rescore' ? rescoreSteps : steps;
    var stepShare = a.total > 0 ? a.done / a.total : 0;
    var pct = a.state === 'done' ? 100 : Math.min(99, Math.round(((own[a.step] || 0) + stepShare) / Object.keys(own).length * 100));
    card.querySelector('[data-fill]').style.width = pct + '%';
    card.querySelector('[role="progressbar"]').setAttribute('aria-valuenow', String(pct));
    // A rescore or cycle is not this card's install: it is named, with its counts, in the server's words (activityText).
    var running = a.task === 'install' ? a.message : a.text;
    card.querySelector('[data-message]').textContent = a.state === 'failed' ? 'Failed: ' + a.message : a.state === 'done' ? 'Done. ' + a.message : running;
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
