// The status line of a CRM's background work (a retrain, a rescore, a cycle), kept current from
// /admin/model/activity.json while it runs: the model page's, and the tiers page's after a save.
// The words are the server's (`text`, views/model-page.ts activityText), so a page says what the
// server would render, counts with their thousands separators included.
(function () {
  'use strict';
  var EVERY_MS = 1500;
  // A save's rescore shows up once it holds the CRM's cycle lock, normally within a poll or two; past
  // this many polls without it, it did not start (no connector, a stop) and the page stops asking.
  var NOT_STARTED_POLLS = 20;

  /**
   * Polls until the work ends, then calls onEnd with the last activity. `since` (ISO time): only an
   * activity started at or after it counts as ended, so a save's rescore is not mistaken for the
   * one before it, which finished before the save.
   */
  window.leadliftActivity = function (el, options) {
    var notStarted = 0;
    var poll = setInterval(function () {
      fetch('/admin/model/activity.json?crm=' + encodeURIComponent(options.crm), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) {
          return r.json().then(function (body) {
            return { ok: r.ok, body: body };
          });
        })
        .then(function (res) {
          var a = res.body;
          // A login that ended mid-task answers 401 {error}: said as it is, and nothing more is asked.
          if (!res.ok) {
            clearInterval(poll);
            el.textContent = (a && a.error) || 'The status is unavailable right now; reload the page to see it.';
            return;
          }
          if (a.state === 'running') {
            notStarted = 0;
            el.textContent = a.text;
            return;
          }
          if (!options.since || (a.startedAt && a.startedAt >= options.since)) {
            clearInterval(poll);
            el.textContent = a.text;
            if (options.onEnd) options.onEnd(a);
            return;
          }
          if (++notStarted >= NOT_STARTED_POLLS) {
            clearInterval(poll);
            el.textContent = 'The rescore has not started; the Model page shows it once it does.';
          }
        })
        .catch(function () {
          clearInterval(poll);
          el.textContent = 'The status is unavailable right now; reload the page to see it.';
        });
    }, EVERY_MS);
  };
})();
