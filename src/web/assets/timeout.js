// Session timeout warning (progressive enhancement; pages work without it). Two minutes before a
// signed-in citizen's idle limit, a modal dialog says so and offers to stay signed in (a POST that
// keeps whatever is typed on the page) or to sign out. At the limit, the page goes to sign-in.
(function () {
  var tpl = document.getElementById('timeout-warning');
  if (!tpl || !window.fetch) return;
  var idle = Number(tpl.getAttribute('data-idle-seconds')) * 1000;
  var warnBefore = Math.min(Number(tpl.getAttribute('data-warn-seconds')) * 1000, idle / 2);
  var expiredUrl = tpl.getAttribute('data-expired-url');
  var dialog = null;
  var warnTimer = 0;
  var endTimer = 0;
  var opener = null;

  function close() {
    if (dialog) {
      dialog.close();
      dialog.remove();
      dialog = null;
    }
    if (opener && opener.focus) opener.focus();
  }

  function warn() {
    opener = document.activeElement;
    dialog = document.createElement('dialog');
    dialog.className = 'timeout-dialog';
    dialog.setAttribute('aria-labelledby', 'timeout-title');
    dialog.setAttribute('aria-describedby', 'timeout-text');
    dialog.appendChild(tpl.content.cloneNode(true));
    document.body.appendChild(dialog);
    var form = dialog.querySelector('form.timeout-extend');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin', redirect: 'manual' }).then(
        function () {
          close();
          start();
        },
        function () {
          form.submit();
        },
      );
    });
    dialog.addEventListener('cancel', function (e) {
      e.preventDefault(); // Escape means "stay signed in", as on GOV.UK
      form.requestSubmit();
    });
    dialog.showModal();
    dialog.querySelector('h2').focus();
  }

  function start() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    warnTimer = setTimeout(warn, idle - warnBefore);
    endTimer = setTimeout(function () {
      window.location.href = expiredUrl;
    }, idle);
  }
  start();
})();
