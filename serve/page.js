// page.js — search as you type on the search page (served as /app.js,
// embedded by tools/embed). Progressive: the page works without it. It
// asks the server for the same page for the words typed (the form's
// filters kept) and swaps in what follows the form; that HTML comes
// escaped from the server, and DOMParser runs no script. It also fills
// the box's <datalist> with completions of the word being typed from
// GET /suggest, as option values set through the DOM (never as HTML). It
// renders no result itself.
(function () {
  var form = document.querySelector('form[role=search]');
  var input = document.getElementById('q');
  var list = document.getElementById('saran');
  if (!form || !input || !window.fetch || !window.DOMParser ||
      !window.URLSearchParams || !window.FormData) return;
  var timer = 0, seq = 0, sseq = 0;

  // Completions: the text with its last word replaced by each suggestion.
  function suggest(text) {
    var mine = ++sseq, word = text.replace(/^.*\s/, '');
    if (!list || !word) { if (list) list.replaceChildren(); return; }
    fetch('/suggest?limit=8&q=' + encodeURIComponent(text))
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (j) {
        if (mine !== sseq) return; /* a later keystroke won */
        var head = text.slice(0, text.length - word.length), opts = [];
        (j.suggestions || []).forEach(function (s) {
          var o = document.createElement('option');
          o.value = head + s.word;
          opts.push(o);
        });
        list.replaceChildren.apply(list, opts);
      }).catch(function () { /* no completions: the box still works */ });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    suggest(input.value);
    timer = setTimeout(function () {
      var q = input.value.trim(), mine = ++seq;
      if (!q) return;
      var params = new URLSearchParams(new FormData(form));
      params.set('q', q);
      var url = '/?' + params.toString();
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
