'use strict';
// The page's model of the fleet: channels, nodes and their segments, fed by the REST snapshot and then
// by /events. Views read it and redraw what is marked dirty. Nothing here touches the DOM.
window.Vigil = window.Vigil || {};
(function (V) {
  const MAX_POINTS = 2000; // per channel: the bridge's history (bridge.views.chart.points), then live points
  const SPARK = 48;

  const state = {
    channels: new Map(), // id -> channel
    nodes: new Map(), // id -> node
    lastSeen: new Map(), // node id -> its latest heartbeat's time as the bridge read it (status records come at changes only)
    events: 0,
    nodesDirty: true,
    orderDirty: true,
  };

  function newChannel(id) {
    return {
      id, source: '', last: null, detector: null, modelVersion: null, open: null,
      anomalyCount: 0, labelCount: 0, spark: [],
      // The bridge's history, then live points, as uPlot wants them (x in seconds, parallel arrays).
      x: [], value: [], forecast: [], error: [], threshold: [], anomalous: [],
      received: 0, segments: new Map(), labels: new Map(), dirty: true, sparkDirty: true,
    };
  }

  function channel(id) {
    let ch = state.channels.get(id);
    if (!ch) {
      ch = newChannel(id);
      state.channels.set(id, ch);
      state.orderDirty = true;
    }
    return ch;
  }

  function status(ch) {
    if (ch.open || (ch.last && ch.last.anomalous)) {
      return 'ANOMALY';
    }
    if (!ch.last) {
      return 'UNKNOWN';
    }
    return ch.last.threshold === null ? 'WARMING_UP' : 'NORMAL';
  }

  function seedChannels(list) {
    for (const c of list) {
      const ch = channel(c.channelId);
      ch.source = c.source || '';
      ch.last = c.lastScore ? Object.assign({ channelId: c.channelId }, c.lastScore) : null;
      ch.detector = c.detector;
      ch.modelVersion = c.modelVersion;
      ch.open = c.openAnomaly ? { start: c.openAnomaly.start, severity: c.openAnomaly.severity, status: 'OPEN' } : null;
      ch.anomalyCount = c.anomalyCount;
      ch.labelCount = c.labelCount;
      ch.spark = (c.spark || []).slice(-SPARK);
      ch.dirty = ch.sparkDirty = true;
    }
  }

  function seedSegments(anomalies, labels) {
    for (const a of anomalies) {
      channel(a.channelId).segments.set(a.start, a);
    }
    for (const l of labels) {
      channel(l.channelId).labels.set(l.start + ':' + l.end, l);
    }
  }

  // A channel's recent past as the bridge keeps it (/api/history), put before what this page already
  // has: everything since the page loaded came live (a resume fills any gap), so only the bridge's
  // points older than the page's oldest are new here, and they only fill the room MAX_POINTS leaves.
  // A bridge that restarted keeps a shorter past than a page that stayed open: nothing is lost then.
  function seedHistory(h) {
    if (!h || !Array.isArray(h.eventTime) || h.eventTime.length === 0) {
      return;
    }
    const ch = channel(h.channelId);
    const oldest = ch.x.length > 0 ? ch.x[0] : Infinity;
    let older = 0;
    while (older < h.eventTime.length && h.eventTime[older] / 1000 < oldest) {
      older++;
    }
    const from = Math.max(0, older - Math.max(0, MAX_POINTS - ch.x.length));
    if (from === older) {
      return;
    }
    const past = {
      x: h.eventTime.slice(from, older).map((t) => t / 1000),
      value: h.value.slice(from, older),
      forecast: h.forecast.slice(from, older),
      error: h.smoothedError.slice(from, older),
      threshold: h.threshold.slice(from, older),
      anomalous: h.anomalous.slice(from, older).map((a, i) => (a ? h.value[from + i] : null)),
    };
    for (const [name, kept] of Object.entries(past)) {
      ch[name].unshift(...kept);
    }
    ch.dirty = true;
  }

  function seedNodes(list) {
    for (const n of list) {
      state.nodes.set(n.nodeId, n);
    }
    seenAt(list);
  }

  // The latest heartbeats of a /api/nodes answer; a later one never gives way to an earlier one.
  function seenAt(list) {
    for (const n of list) {
      if (n.lastSeen && !(state.lastSeen.get(n.nodeId) >= n.lastSeen)) {
        state.lastSeen.set(n.nodeId, n.lastSeen);
      }
    }
    state.nodesDirty = true;
  }

  function applyScore(s) {
    const ch = channel(s.channelId);
    const x = s.eventTime / 1000; // uPlot time scales are in seconds
    if (ch.x.length > 0 && x < ch.x[ch.x.length - 1]) {
      // uPlot needs ascending x; time going back means a replay restarted: start the chart over (the
      // bridge's ScoreHistory follows the same rule, so the two always agree).
      for (const a of [ch.x, ch.value, ch.forecast, ch.error, ch.threshold, ch.anomalous]) {
        a.length = 0;
      }
    }
    // A channel's scores come in strictly increasing event time, so a point at the chart's last x is
    // one the bridge's history already drew (an event in flight while /api/history answered).
    if (ch.x.length === 0 || x !== ch.x[ch.x.length - 1]) {
      ch.x.push(x);
      ch.value.push(s.value);
      ch.forecast.push(s.forecast);
      ch.error.push(s.smoothedError);
      ch.threshold.push(s.threshold);
      ch.anomalous.push(s.anomalous ? s.value : null);
    }
    if (ch.x.length > MAX_POINTS * 1.25) {
      const cut = ch.x.length - MAX_POINTS; // trim in chunks: shifting one by one is quadratic
      for (const a of [ch.x, ch.value, ch.forecast, ch.error, ch.threshold, ch.anomalous]) {
        a.splice(0, cut);
      }
    }
    ch.spark.push(s.value);
    if (ch.spark.length > SPARK) {
      ch.spark.shift();
    }
    if (s.source) {
      ch.source = s.source;
    }
    const before = status(ch);
    ch.last = s;
    ch.detector = s.detector;
    ch.modelVersion = s.modelVersion;
    ch.received++;
    ch.dirty = ch.sparkDirty = true;
    if (status(ch) !== before) {
      state.orderDirty = true;
    }
  }

  function applyAnomaly(a) {
    const ch = channel(a.channelId);
    if (a.status === 'OPEN' && !ch.segments.has(a.start)) {
      ch.anomalyCount++; // a segment counts once, at OPEN, as the bridge counts it
    }
    ch.segments.set(a.start, a);
    ch.open = a.status === 'CLOSED' ? null : a;
    ch.dirty = true;
    state.orderDirty = true;
  }

  function applyLabel(l) {
    const ch = channel(l.channelId);
    const key = l.start + ':' + l.end;
    if (!ch.labels.has(key)) {
      ch.labelCount++;
    }
    ch.labels.set(key, l);
    ch.dirty = true;
  }

  function applyNode(n) {
    state.nodes.set(n.nodeId, n);
    state.nodesDirty = true;
  }

  // Predicted anomaly intervals in seconds: anomaly segments, and runs of anomalous points.
  function predictedBands(ch) {
    const bands = [];
    const lastX = ch.x.length ? ch.x[ch.x.length - 1] : null;
    for (const seg of ch.segments.values()) {
      const end = seg.end !== null && seg.end !== undefined ? seg.end / 1000 : lastX;
      if (end !== null) {
        bands.push([seg.start / 1000, Math.max(end, seg.start / 1000)]);
      }
    }
    let runStart = null;
    for (let i = 0; i < ch.x.length; i++) {
      if (ch.anomalous[i] !== null && runStart === null) {
        runStart = i;
      }
      if ((ch.anomalous[i] === null || i === ch.x.length - 1) && runStart !== null) {
        const endIndex = ch.anomalous[i] === null ? i - 1 : i;
        const step = ch.x.length > 1 ? (ch.x[ch.x.length - 1] - ch.x[0]) / (ch.x.length - 1) : 1;
        bands.push([ch.x[runStart] - step / 2, ch.x[endIndex] + step / 2]);
        runStart = null;
      }
    }
    return merge(bands);
  }

  function labelBands(ch) {
    return merge(Array.from(ch.labels.values(), (l) => [l.start / 1000, l.end / 1000]));
  }

  function merge(bands) {
    bands.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const b of bands) {
      const last = merged[merged.length - 1];
      if (last && b[0] <= last[1]) {
        last[1] = Math.max(last[1], b[1]);
      } else {
        merged.push([b[0], b[1]]);
      }
    }
    return merged;
  }

  function fmt(v) {
    return v === null || v === undefined ? '—' : Number(v).toPrecision(4);
  }

  function ago(ms) {
    if (ms === null || ms === undefined || !isFinite(ms)) {
      return '—';
    }
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) {
      return s + ' s';
    }
    if (s < 3600) {
      return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
    }
    if (s < 172800) {
      return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    }
    return Math.floor(s / 86400) + ' d';
  }

  V.state = state;
  V.model = {
    channel, status, seedChannels, seedSegments, seedHistory, seedNodes, seenAt, applyScore, applyAnomaly, applyLabel, applyNode,
    predictedBands, labelBands, fmt, ago, MAX_POINTS,
  };
})(window.Vigil);
