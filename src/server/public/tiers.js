// Tier editor: shows the right threshold field for each row and previews, before saving, how
// many open leads each tier would hold (POST /admin/tiers/preview; nothing is saved).
(function () {
  'use strict';
  var form = document.getElementById('tier-form');
  if (!form) return;
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var status = document.getElementById('preview-status');
  var formError = document.getElementById('form-error');
  var formErrorText = document.getElementById('form-error-text');
  var formErrorList = document.getElementById('form-error-list');
  var warningsBox = document.getElementById('tier-warnings');
  var warningList = document.getElementById('tier-warning-list');
  var timer = null;
  var seq = 0;

  function rows() {
    return Array.prototype.slice.call(form.querySelectorAll('tbody tr[data-row]'));
  }

  function field(row, name) {
    return row.querySelector('[name="' + name + '"]');
  }

  function showMode(row) {
    var capacity = field(row, 'mode').value === 'capacity';
    row.querySelector('.by-score').hidden = capacity;
    row.querySelector('.by-capacity').hidden = !capacity;
  }

  function setError(row, name, message) {
    var el = row.querySelector('#tier-' + row.dataset.row + '-' + name + '-error');
    var input = field(row, name);
    if (!el) return;
    el.textContent = message || '';
    el.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  function preview() {
    var mine = ++seq;
    var body = {
      tiers: rows().map(function (row) {
        return { name: field(row, 'name').value, mode: field(row, 'mode').value, min: field(row, 'min').value, perDay: field(row, 'perDay').value };
      }),
    };
    status.textContent = 'Updating preview…';
    fetch('/admin/tiers/preview', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(body),
    })
      .then(function (res) {
        return res.json().then(function (data) {
          return { ok: res.ok, data: data };
        });
      })
      .then(function (result) {
        if (mine !== seq) return; // a newer preview is on its way
        if (!result.ok) {
          status.textContent = result.data.error || 'Preview unavailable.';
          return;
        }
        var data = result.data;
        rows().forEach(function (row, i) {
          var r = data.rows[i];
          var p = r && r.preview;
          row.querySelector('[data-leads]').textContent = p ? p.leads.toLocaleString('en-US') : '–';
          row.querySelector('[data-share]').textContent = p ? (p.share * 100).toFixed(1) + '%' : '';
          row.querySelector('[data-bar]').style.setProperty('--w', p ? (p.share * 100).toFixed(1) + '%' : '0%');
          var computed = row.querySelector('[data-computed]');
          computed.textContent = field(row, 'mode').value === 'capacity' && r && r.resolvedMin !== null ? '→ down to score ' + r.resolvedMin + ' now' : '';
          ['name', 'min', 'perDay'].forEach(function (name) {
            setError(row, name, r && r.errors ? r.errors[name] : '');
          });
        });
        showWarnings(data.warnings || []);
        showProblems(data.formError, data.problems || []);
        status.textContent = data.valid ? 'Preview of ' + data.total.toLocaleString('en-US') + ' open leads; not saved yet.' : 'Fix the marked fields to save.';
      })
      .catch(function () {
        if (mine === seq) status.textContent = 'Preview unavailable right now.';
      });
  }

  // The summary lists every fault with a link to its field, in the server's words (the preview's
  // `problems`). It opens for a fault of the whole list; field faults alone are said beside their
  // fields as the manager types, and the summary only keeps count of them once a save was refused.
  // It never takes focus here: a refused save's page gives it focus itself (autofocus).
  function showProblems(message, problems) {
    var open = Boolean(message) || (!formError.hidden && problems.length > 0);
    formError.hidden = !open;
    if (!open) return;
    var faults = problems.length === 1 ? 'this problem' : 'these ' + problems.length + ' problems';
    formErrorText.textContent = [message, problems.length > 0 ? 'Fix ' + faults + ' to save:' : ''].filter(Boolean).join(' ');
    formErrorList.textContent = '';
    problems.forEach(function (p) {
      var a = document.createElement('a');
      a.href = '#' + p.id;
      a.textContent = p.label + ': ' + p.message;
      var li = document.createElement('li');
      li.appendChild(a);
      formErrorList.appendChild(li);
    });
  }

  // The server holds back a save these warnings apply to until the confirm box is ticked; shown
  // here as the manager types, so the question does not come as a surprise.
  function showWarnings(warnings) {
    if (!warningsBox) return;
    warningList.textContent = '';
    warnings.forEach(function (w) {
      var li = document.createElement('li');
      li.textContent = w;
      warningList.appendChild(li);
    });
    warningsBox.hidden = warnings.length === 0;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  }

  function watch(row) {
    field(row, 'mode').addEventListener('change', function () {
      showMode(row);
      schedule();
    });
    ['name', 'min', 'perDay'].forEach(function (name) {
      field(row, name).addEventListener('input', schedule);
    });
  }

  // Each save rewrites the CRM's tiers, so new tiers are added as rows here and saved together.
  // Without this script the page's spare rows do the same, a few at a time.
  var addButton = document.getElementById('add-tier');
  var maxRows = addButton ? Number(addButton.dataset.maxRows) : 0;

  function renumber(row, i) {
    var from = 'tier-' + row.dataset.row + '-';
    var to = 'tier-' + i + '-';
    row.dataset.row = String(i);
    Array.prototype.forEach.call(row.querySelectorAll('[id], [for], [aria-describedby]'), function (el) {
      ['id', 'for', 'aria-describedby'].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v && v.indexOf(from) === 0) el.setAttribute(attr, to + v.slice(from.length));
      });
    });
    // The screen-reader words that say which tier a field is for ("Tier 3 name", "Tier 3 score ≥").
    Array.prototype.forEach.call(row.querySelectorAll('.sr-only'), function (label) {
      label.textContent = label.textContent.replace(/^Tier \d+/, 'Tier ' + (i + 1));
    });
  }

  function blankRow() {
    var all = rows();
    var row = all[all.length - 1].cloneNode(true);
    renumber(row, all.length);
    field(row, 'name').value = '';
    field(row, 'name').setAttribute('placeholder', 'New tier');
    field(row, 'min').value = '';
    field(row, 'perDay').value = '';
    field(row, 'mode').value = 'score';
    showMode(row);
    row.querySelector('[data-leads]').textContent = '–';
    row.querySelector('[data-share]').textContent = '';
    row.querySelector('[data-bar]').style.setProperty('--w', '0%');
    row.querySelector('[data-computed]').textContent = '';
    ['name', 'min', 'perDay'].forEach(function (name) {
      setError(row, name, '');
    });
    return row;
  }

  function updateAddButton() {
    var full = rows().length >= maxRows;
    addButton.disabled = full;
    addButton.title = full ? 'At most ' + maxRows + ' tiers' : '';
  }

  // A save's rescore (or other work under way) followed to its end, in the model page's words.
  Array.prototype.forEach.call(document.querySelectorAll('[data-activity-crm][data-watch]'), function (line) {
    if (!window.leadliftActivity) return;
    window.leadliftActivity(line.querySelector('.status'), { crm: line.dataset.activityCrm, since: line.dataset.since || null });
  });

  rows().forEach(watch);
  if (addButton) {
    addButton.hidden = false;
    updateAddButton();
    addButton.addEventListener('click', function () {
      if (rows().length >= maxRows) return;
      var row = blankRow();
      form.querySelector('tbody').appendChild(row);
      watch(row);
      updateAddButton();
      field(row, 'name').focus();
    });
  }
})();
