// The dashboard's only script: confirmations and the instances table's
// auto-refresh. Served from the dashboard itself (the CSP allows no other).
'use strict';

// Forms with data-confirm ask first (event delegation: rows are replaced).
document.addEventListener('submit', function (event) {
  var message = event.target.getAttribute('data-confirm');
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

(function () {
  var rows = document.getElementById('instance-rows');
  if (!rows) {
    return;
  }
  var url = rows.getAttribute('data-refresh');
  var fast = rows.getAttribute('data-polling') === '1';

  function schedule() {
    // Every 2 s while an instance is changing, every 10 s otherwise.
    window.setTimeout(refresh, fast ? 2000 : 10000);
  }

  function refresh() {
    fetch(url, {credentials: 'same-origin', cache: 'no-store'})
      .then(function (resp) {
        if (resp.status === 401) {
          window.location.reload();  // the session ended: to the login
          return null;
        }
        if (!resp.ok) {
          return null;
        }
        fast = resp.headers.get('X-Dashboard-Polling') === '1';
        return resp.text();
      })
      .then(function (html) {
        if (html !== null) {
          rows.innerHTML = html;  // rendered and escaped by the server
        }
      })
      .catch(function () { /* the daemon is restarting: try again later */ })
      .then(schedule);
  }
  schedule();
})();
