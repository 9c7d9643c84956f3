// page.js — search as you type on the search page (served as /app.js,
// embedded by tools/embed). Progressive: the page works without it. It
// asks the server for the same page for the words typed and swaps in what
// follows the form; that HTML comes escaped from the server, and DOMParser
// runs no script. It renders nothing itself.
(function () {
  var form = document.querySelector('form[role=search]');
  var input = document.getElementById('q');
  if (!form || !input || !window.fetch || !window.DOMParser) return;
  var timer = 0, seq = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim(), mine = ++seq;
      if (!q) return;
      var url = '/?q=' + encodeURIComponent(q);
      fetch(url).then(function (r) { return r.text(); }).then(function (html) {
        if (mine !== seq) return; /* a later keystroke won */
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var main = form.parentNode, f = doc.querySelector('main form');
        if (!f) return;
        while (form.nextSibling) main.removeChild(form.nextSibling);
        for (var n = f.nextSibling; n; n = n.nextSibling)
          main.appendChild(document.importNode(n, true));
        document.title = doc.title;
        history.replaceState(null, '', url);
      }).catch(function () { /* the form still works */ });
    }, 250);
  });
})();
