// The form editor's live preview: as the editor types, the definition is posted (with the page's CSRF
// token) to the preview address and the preview is replaced with what the server renders. Without
// JavaScript the "Preview" button does the same with a whole page.
(function () {
  'use strict';
  var text = document.getElementById('definition');
  var out = document.getElementById('preview-body');
  var status = document.getElementById('preview-status');
  var form = text && text.form;
  if (!text || !out || !form || !window.fetch) return;
  var url = form.getAttribute('data-preview-url');
  var timer = null;
  var seq = 0;
  function say(key) {
    if (status) status.textContent = status.getAttribute(key) || '';
  }
  function refresh() {
    var mine = ++seq;
    var body = new URLSearchParams(new FormData(form));
    fetch(url, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'x-preview': 'fragment' } })
      .then(function (r) {
        if (!r.ok) throw new Error('preview ' + r.status);
        return r.text();
      })
      .then(function (html) {
        if (mine !== seq) return; // a newer preview is on its way
        out.innerHTML = html;
        say('data-updated');
      })
      .catch(function () {
        if (mine === seq) say('data-failed');
      });
  }
  text.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  });
})();
