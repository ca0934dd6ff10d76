'use strict';
// Wiring: token, REST snapshot, the /events stream, routing between views, the redraw loop and the
// status line. All text from the bridge goes through textContent; nothing from it is parsed as HTML.
(function (V) {
  const M = V.model;
  const statusLine = document.getElementById('status');
  const search = document.getElementById('search');
  const views = { fleet: 'view-fleet', channel: 'view-channel', nodes: 'view-nodes' };
  const conn = {
    source: null, lastId: null, clockOffset: 0, lastEventAt: 0, failures: 0, opened: false,
    notice: null, noticeUntil: 0, lag: 0, lagAt: 0,
  };
  let route = { view: 'fleet', channel: null };

  // A token in the fragment (#token=...) never reaches a server or its logs; keep it for this tab only.
  const token = (function () {
    const m = /^#token=([^&]+)/.exec(location.hash);
    if (m) {
      sessionStorage.setItem('vigil.token', decodeURIComponent(m[1]));
      history.replaceState(null, '', location.pathname + '#/');
    }
    return sessionStorage.getItem('vigil.token');
  })();

  function serverNow() {
    return Date.now() + conn.clockOffset;
  }

  // keepClock: a periodic read whose Date header must not move the page's clock estimate, which
  // would make every age on the page jump by up to a second each time.
  function api(path, keepClock) {
    const sent = Date.now();
    return fetch(path, { cache: 'no-store', headers: token ? { Authorization: 'Bearer ' + token } : {} })
      .then((r) => {
        if (!r.ok) {
          throw new Error(r.status === 401 ? 'a token is needed: open the page as /#token=…' : 'HTTP ' + r.status);
        }
        // The bridge's clock, to second precision, so "behind by" does not depend on this machine's.
        const server = Date.parse(r.headers.get('Date'));
        if (!keepClock && !isNaN(server)) {
          conn.clockOffset = server + 500 - (sent + Date.now()) / 2;
        }
        return r.json();
      });
  }

  function notice(text, ms) {
    conn.notice = text;
    conn.noticeUntil = Date.now() + ms;
  }

  function setStatus(text, kind) {
    if (statusLine.textContent !== text) {
      statusLine.textContent = text;
    }
    statusLine.className = 'status ' + kind;
    statusLine.dataset.state = kind;
  }

  function updateStatus() {
    const s = conn.source;
    if (!s) {
      return;
    }
    if (s.readyState === EventSource.CLOSED) {
      setStatus('disconnected · retrying', 'bad');
      return;
    }
    if (s.readyState === EventSource.CONNECTING) {
      const quiet = conn.lastEventAt ? ' · last event ' + M.ago(Date.now() - conn.lastEventAt) + ' ago' : '';
      setStatus('reconnecting…' + quiet, 'warn');
      return;
    }
    const summary = V.state.events + ' events · ' + V.state.channels.size + ' channels · ' + V.state.nodes.size + ' nodes';
    if (conn.notice && Date.now() < conn.noticeUntil) {
      setStatus(conn.notice + ' · ' + summary, 'warn');
    } else if (conn.lag > 5000 && Date.now() - conn.lagAt < 5000) {
      setStatus('behind by ' + M.ago(conn.lag) + ' · ' + summary, 'warn');
    } else {
      setStatus('live · ' + summary, 'ok');
    }
  }

  function onData(handler) {
    return (event) => {
      let data;
      try {
        data = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (!data || typeof data !== 'object') {
        return;
      }
      conn.lastId = event.lastEventId || conn.lastId;
      conn.lastEventAt = Date.now();
      V.state.events++;
      if (typeof data.recordTime === 'number') {
        conn.lag = serverNow() - data.recordTime;
        conn.lagAt = Date.now();
      }
      handler(data);
    };
  }

  function connect(from) {
    const params = new URLSearchParams();
    if (from) {
      params.set('lastEventId', from);
    }
    if (token) {
      params.set('access_token', token); // EventSource cannot send an Authorization header
    }
    const query = params.toString();
    const source = new EventSource('/events' + (query ? '?' + query : ''));
    conn.source = source;
    conn.opened = false;
    source.onopen = () => {
      conn.opened = true;
      conn.failures = 0;
    };
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        return; // EventSource reconnects by itself, sending Last-Event-ID
      }
      // The browser gave up (the bridge answered with an error, e.g. 503 when full): retry ourselves.
      conn.failures++;
      const resumeFrom = conn.failures > 2 ? null : conn.lastId;
      if (conn.failures > 2) {
        notice('could not resume; live from now on', 15000);
      }
      setTimeout(() => connect(resumeFrom), Math.min(30000, 2000 * conn.failures));
    };
    source.addEventListener('resume', onControl((d) => {
      if (d.gaveUp) {
        notice('resumed with a gap: the bridge could not replay everything missed', 15000);
      } else if (Array.isArray(d.reset) && d.reset.length > 0) {
        notice('resumed · ' + d.reset.join(', ') + ' recreated since this page last saw them; replayed the recent part', 15000);
      } else if (d.lost > 0) {
        notice('resumed · ' + d.lost + ' events had expired from Kafka', 15000);
      } else if (d.missed > 0) {
        notice('resumed · ' + d.missed + ' missed events replayed', 8000);
      } else if (d.via === 'kafka') {
        notice('resumed from Kafka', 8000);
      }
    }));
    source.addEventListener('dropped', onControl((d) => {
      notice('behind · ' + d.dropped + ' events dropped (this page is too slow)', 15000);
    }));
    source.addEventListener('score', onData((s) => {
      if (typeof s.channelId === 'string') {
        M.applyScore(s);
      }
    }));
    source.addEventListener('anomaly', onData((a) => {
      if (typeof a.channelId === 'string') {
        M.applyAnomaly(a);
      }
    }));
    source.addEventListener('label', onData((l) => {
      if (typeof l.channelId === 'string') {
        M.applyLabel(l);
      }
    }));
    source.addEventListener('node', onData((n) => {
      if (typeof n.nodeId === 'string') {
        M.applyNode(n);
      }
    }));
  }

  function onControl(handler) {
    return (event) => {
      try {
        handler(JSON.parse(event.data));
      } catch (e) {
        // a malformed control event changes nothing
      }
    };
  }

  // The snapshot first, then the stream from exactly the snapshot's position: nothing missed, nothing twice.
  function start() {
    api('/api/channels')
      .then((channels) => {
        M.seedChannels(channels.channels);
        return Promise.all([api('/api/nodes'), api('/api/anomalies?limit=1000'), api('/api/labels?limit=1000')])
          .then(([nodes, anomalies, labels]) => {
            M.seedNodes(nodes.nodes);
            M.seedSegments(anomalies.anomalies, labels.labels);
            connect(channels.position);
            redraw(true);
          });
      })
      .catch((e) => {
        setStatus('cannot load the fleet (' + e.message + ') · retrying', 'bad');
        setTimeout(start, 5000);
      });
  }

  V.loadSegments = (id) => {
    const channel = encodeURIComponent(id);
    Promise.all([api('/api/anomalies?limit=1000&channel=' + channel), api('/api/labels?limit=1000&channel=' + channel)])
      .then(([anomalies, labels]) => {
        M.seedSegments(anomalies.anomalies, labels.labels);
        M.channel(id).dirty = true;
      })
      .catch(() => { /* the bands from live events still show */ });
  };

  V.loadHistory = (id) => {
    api('/api/history?channel=' + encodeURIComponent(id) + '&limit=' + M.MAX_POINTS)
      .then((answer) => M.seedHistory(answer.history))
      .catch(() => { /* the chart still fills from live events */ });
  };

  function parseRoute() {
    const h = location.hash;
    if (h.startsWith('#/channel/')) {
      return { view: 'channel', channel: decodeURIComponent(h.slice('#/channel/'.length)) };
    }
    return { view: h === '#/nodes' ? 'nodes' : 'fleet', channel: null };
  }

  function show() {
    route = parseRoute();
    for (const [name, id] of Object.entries(views)) {
      document.getElementById(id).hidden = name !== route.view;
    }
    document.getElementById('nav-fleet').classList.toggle('active', route.view === 'fleet');
    document.getElementById('nav-nodes').classList.toggle('active', route.view === 'nodes');
    if (route.view === 'channel') {
      V.channelView.open(route.channel);
      document.title = 'Vigil · ' + route.channel;
    } else {
      V.channelView.close();
      document.title = 'Vigil · ' + route.view;
    }
    redraw(true);
  }

  let ticks = 0;
  function redraw(force) {
    const query = search.value.trim().toLowerCase();
    const now = serverNow();
    if (route.view === 'fleet' && (force || ticks % 2 === 0)) {
      V.fleet.render(query, now, force);
      V.state.nodesDirty = false;
    } else if (route.view === 'channel') {
      V.channelView.render();
    } else if (route.view === 'nodes' && (force || V.state.nodesDirty || ticks % 4 === 0)) {
      V.nodesView.render(query, now, force || V.state.nodesDirty);
      V.state.nodesDirty = false;
    }
    updateStatus();
  }
  V.redraw = redraw;

  window.addEventListener('hashchange', show);
  search.addEventListener('input', () => redraw(true));
  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(V.channelView.resize, 200);
  });
  // Heartbeats are not streamed (status records come at changes only): while the node view is shown,
  // its latest heartbeats are read again every few seconds.
  const HEARTBEAT_REFRESH_TICKS = 20;
  setInterval(() => {
    ticks++;
    if (route.view === 'nodes' && ticks % HEARTBEAT_REFRESH_TICKS === 0) {
      api('/api/nodes', true).then((nodes) => M.seenAt(nodes.nodes)).catch(() => {});
    }
    redraw(false);
  }, 250);
  show();
  start();
})(window.Vigil);
