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
  var timer = null;
  var latest = 0;
  var available = true;

  function hide() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
  }

  function show(hits) {
    list.textContent = '';
    hits.forEach(function (h) {
      var li = document.createElement('li');
      li.setAttribute('role', 'option');
      var a = document.createElement('a');
      a.href = '/papers/' + paperUrl(h.id);
      a.textContent = h.title;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute('aria-expanded', hits.length > 0 ? 'true' : 'false');
  }

  function suggest() {
    var q = input.value.trim();
    if (q.length < 2 || !available) return hide();
    var ticket = ++latest;
    fetch('/api/search?k=6&q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' } })
      .then(function (res) {
        if (res.status === 404) available = false;
        return res.ok ? res.json() : { papers: [] };
      })
      .then(function (r) {
        if (ticket === latest) show(r.papers || []);
      })
      .catch(hide);
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') hide();
    if (e.key === 'ArrowDown' && !list.hidden) {
      e.preventDefault();
      var first = list.querySelector('a');
      if (first) first.focus();
    }
  });
  list.addEventListener('keydown', function (e) {
    var item = document.activeElement && document.activeElement.closest('li');
    if (!item) return;
    if (e.key === 'Escape') {
      hide();
      input.focus();
    }
    if (e.key === 'ArrowDown' && item.nextElementSibling) {
      e.preventDefault();
      item.nextElementSibling.querySelector('a').focus();
    }
    if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (item.previousElementSibling) item.previousElementSibling.querySelector('a').focus();
      else input.focus();
    }
  });
  document.addEventListener('click', function (e) {
    if (!list.contains(e.target) && e.target !== input) hide();
  });
})();
