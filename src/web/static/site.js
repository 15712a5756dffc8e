// Progressive enhancement for Paperboy pages: vote and save without a reload, and search suggestions as you type.
// Every feature falls back to the plain forms and links when this script does not run.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : null;

  function paperUrl(id) {
    return id.split('/').map(encodeURIComponent).join('/');
  }

  function send(method, url, body) {
    var headers = { Accept: 'application/json', 'X-CSRF-Token': csrf || '' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(url, {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      if (res.status === 401) {
        window.location.href =
          '/signin?next=' + encodeURIComponent(window.location.pathname + window.location.search);
        throw new Error('signed out');
      }
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.status === 204 ? null : res.json();
    });
  }

  function onVote(form, event) {
    if (!csrf) return;
    event.preventDefault();
    var button = form.querySelector('button');
    button.disabled = true;
    send('POST', '/api/papers/' + paperUrl(form.dataset.paper) + '/vote')
      .then(function (r) {
        button.setAttribute('aria-pressed', r.voted ? 'true' : 'false');
        button.setAttribute('aria-label', 'Upvote (' + r.count + ' votes)');
        form.querySelector('.count').textContent = String(r.count);
      })
      .catch(function () {
        form.submit();
      })
      .finally(function () {
        button.disabled = false;
      });
  }

  function onSave(form, event) {
    if (!csrf) return;
    event.preventDefault();
    var saved = form.dataset.saved === 'true';
    var button = form.querySelector('button');
    button.disabled = true;
    var url = '/api/library/' + paperUrl(form.dataset.paper);
    (saved ? send('DELETE', url) : send('PUT', url, { tags: [] }))
      .then(function () {
        form.dataset.saved = saved ? 'false' : 'true';
        form.setAttribute('action', saved ? '/save' : '/unsave');
        button.setAttribute('aria-pressed', saved ? 'false' : 'true');
        button.textContent = saved ? 'Save' : 'Saved';
      })
      .catch(function () {
        form.submit();
      })
      .finally(function () {
        button.disabled = false;
      });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.classList.contains('vote-form')) onVote(form, event);
    else if (form.classList.contains('save-form')) onSave(form, event);
  });

  var input = document.getElementById('q');
  var list = document.getElementById('suggestions');
  if (!input || !list) return;

  // A pasted text (a paragraph, an abstract) gets room: the box becomes a text area; the search is "papers
  // like this text". Long texts are above this many characters or span lines.
  var LONG_TEXT = 200;
  function growIntoTextarea(value) {
    if (input.tagName === 'TEXTAREA') return;
    var area = document.createElement('textarea');
    area.id = input.id;
    area.name = input.name;
    area.rows = 6;
    area.maxLength = input.maxLength > 0 ? input.maxLength : 20000;
    area.placeholder = 'Paste a text to find papers like it';
    area.className = 'search-text';
    area.value = value;
    input.replaceWith(area);
    input = area;
    hide();
    area.focus();
    area.setSelectionRange(value.length, value.length);
    // Ctrl+Enter (or Cmd+Enter) searches from the text area; a plain Enter is a new line.
    area.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        area.form.requestSubmit();
      }
    });
  }
  input.addEventListener('paste', function (e) {
    var pasted = e.clipboardData ? e.clipboardData.getData('text') : '';
    if (pasted.length <= LONG_TEXT && pasted.indexOf('\n') < 0) return;
    e.preventDefault();
    var start = input.selectionStart || 0;
    var end = input.selectionEnd || 0;
    growIntoTextarea(input.value.slice(0, start) + pasted + input.value.slice(end));
  });
  if (input.value.length > LONG_TEXT) growIntoTextarea(input.value);

  // Suggestions as you type: the ARIA combobox pattern (focus stays in the box; arrows move the active option).
  var timer = null;
  var latest = 0;
  var options = [];
  var active = -1;

  function hide() {
    list.hidden = true;
    list.textContent = '';
    options = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function setActive(i) {
    var items = list.querySelectorAll('[role="option"]');
    active = i;
    items.forEach(function (li, j) {
      li.setAttribute('aria-selected', j === i ? 'true' : 'false');
    });
    if (i >= 0 && items[i]) input.setAttribute('aria-activedescendant', items[i].id);
    else input.removeAttribute('aria-activedescendant');
  }

  var KINDS = { title: 'Paper', author: 'Author', category: 'Category', topic: 'Topic' };
  function show(suggestions) {
    list.textContent = '';
    options = suggestions;
    active = -1;
    suggestions.forEach(function (s, i) {
      var li = document.createElement('li');
      li.id = 'suggestion-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.kind = s.kind;
      var kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = KINDS[s.kind] || s.kind;
      li.appendChild(kind);
      li.appendChild(document.createTextNode(' ' + s.label));
      li.addEventListener('mousedown', function (e) {
        e.preventDefault(); // keep focus in the box
        choose(i);
      });
      list.appendChild(li);
    });
    list.hidden = suggestions.length === 0;
    input.setAttribute('aria-expanded', suggestions.length > 0 ? 'true' : 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function choose(i) {
    var s = options[i];
    if (!s) return;
    hide();
    if (s.kind === 'title') {
      window.location.href = '/papers/' + paperUrl(s.value);
      return;
    }
    input.value = s.value;
    input.form.requestSubmit();
  }

  function suggest() {
    var q = input.value.trim();
    if (q.length < 2 || input.tagName === 'TEXTAREA') return hide();
    var ticket = ++latest;
    fetch('/api/suggest?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' } })
      .then(function (res) {
        return res.ok ? res.json() : { suggestions: [] };
      })
      .then(function (r) {
        if (ticket === latest) show(r.suggestions || []);
      })
      .catch(hide);
  }

  document.addEventListener('input', function (e) {
    if (e.target !== input || input.tagName === 'TEXTAREA') return;
    clearTimeout(timer);
    timer = setTimeout(suggest, 120);
  });
  document.addEventListener('keydown', function (e) {
    if (e.target !== input || input.tagName === 'TEXTAREA') return;
    if (e.key === 'Escape') {
      if (!list.hidden) e.preventDefault();
      hide();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (list.hidden || options.length === 0) return;
      e.preventDefault();
      var n = options.length;
      setActive(e.key === 'ArrowDown' ? (active + 1) % n : active <= 0 ? n - 1 : active - 1);
    } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
      e.preventDefault();
      choose(active);
    }
  });
  document.addEventListener('focusout', function (e) {
    if (e.target === input) hide();
  });
})();
