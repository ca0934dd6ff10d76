'use strict';
// Fleet view: one table row per channel (reused, never rebuilt), node chips, search and sort. Sparklines
// are plain canvases drawn only for rows on screen, at most once a second each: 500 channels cost 500
// small canvases, not 500 uPlot instances.
(function (V) {
  const M = V.model;
  const STATE_ORDER = { ANOMALY: 0, WARMING_UP: 1, NORMAL: 2, UNKNOWN: 3 };
  const body = document.querySelector('#channels tbody');
  const empty = document.getElementById('fleet-empty');
  const count = document.getElementById('fleet-count');
  const chips = document.getElementById('fleet-nodes');
  const sortSelect = document.getElementById('sort');
  const rows = new Map(); // channel id -> row elements
  const visible = new Set(); // channel ids whose row is on screen
  let order = [];

  // Rows coming on screen get their sparkline at once; after that, at most once a second.
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const id = e.target.dataset.channel;
      if (e.isIntersecting) {
        visible.add(id);
        const ch = V.state.channels.get(id);
        if (ch) {
          ch.sparkDirty = false;
          spark(ch);
        }
      } else {
        visible.delete(id);
      }
    }
  });

  function cell(tr, className) {
    const td = document.createElement('td');
    if (className) {
      td.className = className;
    }
    tr.appendChild(td);
    return td;
  }

  function row(ch) {
    let r = rows.get(ch.id);
    if (r) {
      return r;
    }
    const tr = document.createElement('tr');
    tr.dataset.channel = ch.id;
    const badge = document.createElement('span');
    cell(tr).appendChild(badge);
    r = { tr, badge, name: cell(tr, 'name'), source: cell(tr), value: cell(tr, 'num'), anomalies: cell(tr, 'num'),
      labels: cell(tr, 'num'), model: cell(tr), updated: cell(tr) };
    const canvas = document.createElement('canvas');
    canvas.className = 'spark';
    canvas.width = 140;
    canvas.height = 26;
    cell(tr).appendChild(canvas);
    r.canvas = canvas;
    r.name.textContent = ch.id;
    r.name.title = ch.id;
    tr.addEventListener('click', () => {
      location.hash = '#/channel/' + encodeURIComponent(ch.id);
    });
    rows.set(ch.id, r);
    observer.observe(tr);
    return r;
  }

  function matches(ch, query) {
    return !query || ch.id.toLowerCase().includes(query) || (ch.source || '').toLowerCase().includes(query);
  }

  function compare(key) {
    const byName = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    switch (key) {
      case 'name':
        return byName;
      case 'anomalies':
        return (a, b) => b.anomalyCount - a.anomalyCount || byName(a, b);
      case 'updated':
        return (a, b) => ((b.last ? b.last.recordTime || 0 : 0) - (a.last ? a.last.recordTime || 0 : 0)) || byName(a, b);
      default:
        return (a, b) => STATE_ORDER[M.status(a)] - STATE_ORDER[M.status(b)] || byName(a, b);
    }
  }

  function reorder(query) {
    const list = [];
    for (const ch of V.state.channels.values()) {
      if (matches(ch, query)) {
        list.push(ch);
      }
    }
    list.sort(compare(sortSelect.value));
    const ids = list.map((ch) => ch.id);
    const same = ids.length === order.length && ids.every((id, i) => id === order[i]);
    if (!same) {
      const fragment = document.createDocumentFragment();
      for (const ch of list) {
        fragment.appendChild(row(ch).tr);
      }
      const shown = new Set(ids);
      for (const [id, r] of rows) {
        if (!shown.has(id) && r.tr.parentNode) {
          r.tr.remove();
        }
      }
      body.appendChild(fragment);
      order = ids;
    }
    empty.hidden = V.state.channels.size > 0;
    count.textContent = (query ? list.length + ' of ' : '') + V.state.channels.size + ' channels · '
      + V.state.nodes.size + ' nodes';
  }

  function fill(ch, now) {
    const r = row(ch);
    const st = M.status(ch);
    r.badge.className = 'badge ' + st;
    r.badge.textContent = st.replace('_', ' ');
    r.source.textContent = ch.source || '';
    r.value.textContent = ch.last ? M.fmt(ch.last.value) : '—';
    r.anomalies.textContent = String(ch.anomalyCount);
    r.labels.textContent = String(ch.labelCount);
    r.model.textContent = ch.detector ? ch.detector + (ch.modelVersion === null ? '' : ' v' + ch.modelVersion) : '—';
    r.updated.textContent = ch.last && ch.last.recordTime ? M.ago(now - ch.last.recordTime) + ' ago' : '—';
    r.tr.dataset.status = st;
  }

  function spark(ch) {
    const r = rows.get(ch.id);
    const c = r.canvas;
    const g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    const values = ch.spark.filter((v) => v !== null && isFinite(v));
    if (values.length < 2) {
      return;
    }
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const span = hi - lo || 1;
    g.strokeStyle = M.status(ch) === 'ANOMALY' ? '#c62828' : '#1f77b4';
    g.lineWidth = 1;
    g.beginPath();
    ch.spark.forEach((v, i) => {
      if (v === null || !isFinite(v)) {
        return;
      }
      const x = (i / (ch.spark.length - 1)) * (c.width - 2) + 1;
      const y = c.height - 2 - ((v - lo) / span) * (c.height - 4);
      if (i === 0) {
        g.moveTo(x, y);
      } else {
        g.lineTo(x, y);
      }
    });
    g.stroke();
  }

  function nodeChips(query) {
    const nodes = Array.from(V.state.nodes.values()).filter((n) => !query || n.nodeId.toLowerCase().includes(query));
    // Faulted first, then by id.
    nodes.sort((a, b) => (b.state === 'FAULTED') - (a.state === 'FAULTED') || (a.nodeId < b.nodeId ? -1 : 1));
    if (nodes.length === 0) {
      return;
    }
    chips.replaceChildren(...nodes.map((n) => {
      const chip = document.createElement('span');
      chip.className = 'chip ' + n.state;
      chip.dataset.node = n.nodeId;
      chip.dataset.state = n.state;
      chip.textContent = n.nodeId + ' · ' + n.state;
      return chip;
    }));
  }

  let lastSparks = 0;
  let lastQuery = null;
  let lastSort = null;

  // Called every 500 ms while the fleet view is shown.
  function render(query, now, force) {
    const resorted = force || V.state.orderDirty || query !== lastQuery || sortSelect.value !== lastSort;
    if (resorted) {
      V.state.orderDirty = false;
      lastQuery = query;
      lastSort = sortSelect.value;
      reorder(query);
    }
    for (const id of order) {
      const ch = V.state.channels.get(id);
      // Ages tick, so visible rows are refreshed even when no event came.
      if (ch.dirty || visible.has(id)) {
        ch.dirty = false;
        fill(ch, now);
      }
    }
    if (now - lastSparks >= 1000 || force) {
      lastSparks = now;
      for (const id of visible) {
        const ch = V.state.channels.get(id);
        if (ch && ch.sparkDirty) {
          ch.sparkDirty = false;
          spark(ch);
        }
      }
    }
    if (V.state.nodesDirty || resorted) {
      nodeChips(query);
    }
  }

  sortSelect.addEventListener('change', () => V.redraw && V.redraw(true));
  V.fleet = { render };
})(window.Vigil);
