// The map of the field: every paper as a point on a canvas, coloured by topic, with zoom, pan, hover and click.
// Reads /api/map (compact binary) and /api/topics; highlights a search, one paper, or the reader's library.
(function () {
  'use strict';
  var box = document.getElementById('map');
  if (!box) return;
  var canvas = box.querySelector('canvas');
  var tip = document.getElementById('map-tip');
  var status = document.getElementById('map-status');
  var ctx = canvas.getContext('2d');
  var n = 0;
  var xs;
  var ys;
  var topicOf;
  var ids = [];
  var index = new Map();
  var topics = new Map();
  var colours = new Map();
  var marked = new Set();
  var markKind = '';
  var view = { scale: 1, x: 0, y: 0 };
  var size = { w: 0, h: 0, dpr: 1 };
  var grid = null;
  var groups = new Map();
  var G = 128;
  var titles = new Map();
  var queued = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  /** A stable, well-spread colour for a topic id (golden-angle hues). */
  function colour(id) {
    var c = colours.get(id);
    if (!c) {
      c = 'hsl(' + Math.round((id * 137.508) % 360) + ' 62% 52%)';
      colours.set(id, c);
    }
    return c;
  }

  function decode(buf) {
    var head = new DataView(buf, 0, 8);
    var magic = String.fromCharCode(head.getUint8(0), head.getUint8(1), head.getUint8(2), head.getUint8(3));
    if (magic !== 'PBM1') throw new Error('unexpected map format');
    n = head.getUint32(4, true);
    var u16 = new Uint16Array(buf.slice(8, 8 + 6 * n));
    xs = new Float32Array(n);
    ys = new Float32Array(n);
    topicOf = new Uint16Array(n);
    for (var i = 0; i < n; i++) {
      xs[i] = u16[i] / 65535;
      ys[i] = u16[n + i] / 65535;
      topicOf[i] = u16[2 * n + i];
    }
    ids = n > 0 ? new window.TextDecoder().decode(new Uint8Array(buf, 8 + 6 * n)).split('\n') : [];
    for (var j = 0; j < ids.length; j++) index.set(ids[j], j);
    grid = new Map();
    for (var k = 0; k < n; k++) {
      var g = groups.get(topicOf[k]);
      if (!g) groups.set(topicOf[k], (g = []));
      g.push(k);
      var cell = Math.min(G - 1, Math.floor(xs[k] * G)) * G + Math.min(G - 1, Math.floor(ys[k] * G));
      var list = grid.get(cell);
      if (!list) grid.set(cell, (list = []));
      list.push(k);
    }
  }

  function resize() {
    var r = box.getBoundingClientRect();
    size.dpr = window.devicePixelRatio || 1;
    size.w = Math.max(1, r.width);
    size.h = Math.max(1, r.height);
    canvas.width = Math.round(size.w * size.dpr);
    canvas.height = Math.round(size.h * size.dpr);
    draw();
  }

  /** Map units ([0, 1]²) to CSS pixels: the map fills the shorter side, centred, then zoom and pan. */
  function base() {
    return Math.min(size.w, size.h);
  }
  function toScreenX(x) {
    return (size.w - base()) / 2 + (x * base() - view.x) * view.scale;
  }
  function toScreenY(y) {
    return (size.h - base()) / 2 + (y * base() - view.y) * view.scale;
  }
  function toMapX(px) {
    return ((px - (size.w - base()) / 2) / view.scale + view.x) / base();
  }
  function toMapY(py) {
    return ((py - (size.h - base()) / 2) / view.scale + view.y) / base();
  }

  function draw() {
    if (queued) return;
    queued = true;
    window.requestAnimationFrame(paint);
  }

  function paint() {
    queued = false;
    if (!xs) return;
    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    ctx.clearRect(0, 0, size.w, size.h);
    // Points shrink as the map fills (5 px for a few hundred papers, 1.5 px at 75,000) and grow with zoom.
    var r = Math.min(9, Math.max(1.5, Math.min(5, 60 / Math.sqrt(Math.max(1, n)))) * Math.sqrt(view.scale));
    var dim = marked.size > 0;
    ctx.globalAlpha = dim ? 0.25 : 0.8;
    groups.forEach(function (list, t) {
      ctx.fillStyle = colour(t);
      for (var j = 0; j < list.length; j++) {
        var k = list[j];
        var sx = toScreenX(xs[k]);
        var sy = toScreenY(ys[k]);
        if (sx < -r || sy < -r || sx > size.w + r || sy > size.h + r) continue;
        ctx.fillRect(sx - r / 2, sy - r / 2, r, r);
      }
    });
    ctx.globalAlpha = 1;
    if (dim) {
      marked.forEach(function (k) {
        var sx = toScreenX(xs[k]);
        var sy = toScreenY(ys[k]);
        ctx.beginPath();
        ctx.arc(sx, sy, r + 3, 0, 2 * Math.PI);
        ctx.fillStyle = colour(topicOf[k]);
        ctx.fill();
        ctx.lineWidth = 2;
        ctx.strokeStyle = markKind === 'paper' ? '#d00' : '#111';
        ctx.stroke();
      });
    }
    labels();
  }

  /** Topic names at their centres, biggest topics first, skipping any that would overlap one drawn. */
  function labels() {
    var list = Array.from(topics.values()).sort(function (a, b) {
      return b.size - a.size;
    });
    var boxes = [];
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (var i = 0; i < list.length; i++) {
      var t = list[i];
      var text = t.label.split(', ').slice(0, 2).join(', ');
      var sx = toScreenX(t.x);
      var sy = toScreenY(t.y);
      var w = ctx.measureText(text).width + 8;
      var b = { l: sx - w / 2, r: sx + w / 2, t: sy - 9, b: sy + 9 };
      if (b.r < 0 || b.l > size.w || b.b < 0 || b.t > size.h) continue;
      var clash = boxes.some(function (o) {
        return b.l < o.r && b.r > o.l && b.t < o.b && b.b > o.t;
      });
      if (clash) continue;
      boxes.push(b);
      ctx.fillStyle = 'rgba(255,255,255,0.8)';
      ctx.fillRect(b.l, b.t, w, 18);
      ctx.fillStyle = '#111';
      ctx.fillText(text, sx, sy);
    }
  }

  /** The point under (px, py) within 8 CSS pixels, or -1. */
  function pointAt(px, py) {
    var mx = toMapX(px);
    var my = toMapY(py);
    var reach = 8 / (base() * view.scale);
    var best = -1;
    var bestD = reach * reach;
    var c0 = Math.floor((mx - reach) * G);
    var c1 = Math.floor((mx + reach) * G);
    var r0 = Math.floor((my - reach) * G);
    var r1 = Math.floor((my + reach) * G);
    for (var cx = Math.max(0, c0); cx <= Math.min(G - 1, c1); cx++)
      for (var cy = Math.max(0, r0); cy <= Math.min(G - 1, r1); cy++) {
        var list = grid.get(cx * G + cy);
        if (!list) continue;
        for (var j = 0; j < list.length; j++) {
          var k = list[j];
          var d = (xs[k] - mx) * (xs[k] - mx) + (ys[k] - my) * (ys[k] - my);
          if (d < bestD) {
            bestD = d;
            best = k;
          }
        }
      }
    return best;
  }

  function paperUrl(id) {
    return '/papers/' + id.split('/').map(encodeURIComponent).join('/');
  }

  function showTip(k, px, py) {
    if (k < 0) {
      tip.hidden = true;
      canvas.style.cursor = 'crosshair';
      return;
    }
    canvas.style.cursor = 'pointer';
    var id = ids[k];
    var t = topics.get(topicOf[k]);
    var title = titles.get(id);
    tip.textContent = (title || id) + (t ? ' — ' + t.label : '');
    tip.hidden = false;
    tip.style.left = Math.min(px + 12, size.w - 200) + 'px';
    tip.style.top = py + 12 + 'px';
    if (title === undefined) {
      titles.set(id, null);
      fetch('/api/papers/' + id.split('/').map(encodeURIComponent).join('/'))
        .then(function (res) {
          return res.ok ? res.json() : null;
        })
        .then(function (p) {
          if (p && p.title) titles.set(id, p.title);
          if (!tip.hidden && tip.textContent.indexOf(id) === 0) showTip(k, px, py);
        })
        .catch(function () {});
    }
  }

  function mark(list, kind) {
    marked = new Set();
    markKind = kind;
    list.forEach(function (id) {
      var k = index.get(id);
      if (k !== undefined) marked.add(k);
    });
    draw();
    return marked.size;
  }

  /** Zooms by `factor` keeping the map point under (px, py) in place. */
  function zoomAt(px, py, factor) {
    var mx = toMapX(px) * base();
    var my = toMapY(py) * base();
    view.scale = Math.max(0.5, Math.min(200, view.scale * factor));
    view.x = mx - (px - (size.w - base()) / 2) / view.scale;
    view.y = my - (py - (size.h - base()) / 2) / view.scale;
    draw();
  }

  function centreOn(k) {
    view.scale = 6;
    view.x = xs[k] * base() - base() / 2 / view.scale;
    view.y = ys[k] * base() - base() / 2 / view.scale;
    draw();
  }

  var pointers = new Map();
  var moved = false;
  var pinch = 0;
  canvas.addEventListener('pointerdown', function (e) {
    canvas.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
    moved = false;
  });
  canvas.addEventListener('pointermove', function (e) {
    var prev = pointers.get(e.pointerId);
    if (!prev) {
      showTip(pointAt(e.offsetX, e.offsetY), e.offsetX, e.offsetY);
      return;
    }
    if (pointers.size === 2) {
      pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
      var ps = Array.from(pointers.values());
      var d = Math.hypot(ps[0].x - ps[1].x, ps[0].y - ps[1].y);
      if (pinch > 0) zoomAt((ps[0].x + ps[1].x) / 2, (ps[0].y + ps[1].y) / 2, d / pinch);
      pinch = d;
      moved = true;
      return;
    }
    var dx = e.offsetX - prev.x;
    var dy = e.offsetY - prev.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
    if (moved) {
      view.x -= dx / view.scale;
      view.y -= dy / view.scale;
      pointers.set(e.pointerId, { x: e.offsetX, y: e.offsetY });
      tip.hidden = true;
      draw();
    }
  });
  function release(e) {
    var was = pointers.has(e.pointerId);
    pointers.delete(e.pointerId);
    if (pointers.size < 2) pinch = 0;
    if (was && !moved && e.type === 'pointerup') {
      var k = pointAt(e.offsetX, e.offsetY);
      if (k >= 0) window.location.assign(paperUrl(ids[k]));
    }
  }
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  canvas.addEventListener('pointerleave', function () {
    tip.hidden = true;
  });
  canvas.addEventListener(
    'wheel',
    function (e) {
      e.preventDefault();
      zoomAt(e.offsetX, e.offsetY, Math.exp(-e.deltaY * 0.0015));
    },
    { passive: false },
  );

  function searchMarks(q) {
    return fetch('/api/search?k=100&q=' + encodeURIComponent(q))
      .then(function (res) {
        return res.ok ? res.json() : { papers: [] };
      })
      .then(function (body) {
        var found = mark(
          body.papers.map(function (p) {
            return p.id;
          }),
          'search',
        );
        say(found + ' of the top ' + body.papers.length + ' results for “' + q + '” are on the map.');
      });
  }

  function libraryMarks(on) {
    if (!on) {
      mark([], '');
      say('');
      return;
    }
    var all = [];
    function page(offset) {
      return fetch('/api/library?limit=100&offset=' + offset)
        .then(function (res) {
          return res.ok ? res.json() : { items: [], total: 0 };
        })
        .then(function (body) {
          body.items.forEach(function (it) {
            all.push(it.paperId);
          });
          if (all.length < body.total && offset < 1000 && body.items.length > 0) return page(offset + 100);
          say(mark(all, 'library') + ' papers of your library are on the map.');
        });
    }
    return page(0);
  }

  Promise.all([
    fetch('/api/map').then(function (res) {
      if (!res.ok) throw new Error('the map did not load (' + res.status + ')');
      return res.arrayBuffer();
    }),
    fetch('/api/topics').then(function (res) {
      return res.json();
    }),
  ])
    .then(function (both) {
      decode(both[0]);
      both[1].topics.forEach(function (t) {
        topics.set(t.id, t);
      });
      box.setAttribute('data-points', String(n));
      resize();
      window.addEventListener('resize', resize);
      var paper = box.getAttribute('data-paper');
      var q = box.getAttribute('data-q');
      if (paper) {
        var k = index.get(paper);
        if (k === undefined) say('That paper is not on the map yet.');
        else {
          mark([paper], 'paper');
          centreOn(k);
          var t = topics.get(topicOf[k]);
          say('The marked point is ' + paper + (t ? ', in the topic “' + t.label + '”.' : '.'));
        }
      } else if (q) searchMarks(q);
      var lib = document.getElementById('map-library');
      if (lib)
        lib.addEventListener('change', function () {
          libraryMarks(lib.checked);
        });
      box.setAttribute('data-ready', '1');
    })
    .catch(function (err) {
      say(String(err.message || err));
    });
})();
