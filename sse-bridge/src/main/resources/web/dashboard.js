'use strict';
// Live view of vigil.scores: one uPlot chart per channel, fed by the bridge's /events stream.
// All text from the stream goes through textContent; nothing from it is ever parsed as HTML.
(function () {
  const MAX_POINTS = 500;
  const REDRAW_MS = 250; // events may arrive much faster than is worth repainting
  const CHART_HEIGHT = 160;

  const list = document.getElementById('channels');
  const empty = document.getElementById('empty');
  const status = document.getElementById('status');
  const channels = new Map(); // channelId -> chart state
  let received = 0;
  let source = null;

  function setStatus(text, kind) {
    status.textContent = text;
    status.className = 'status ' + kind;
  }

  function chartWidth() {
    return Math.max(300, Math.min(list.clientWidth || 900, 1100));
  }

  function options() {
    return {
      width: chartWidth(),
      height: CHART_HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      series: [
        {},
        { label: 'value', stroke: '#1f77b4', width: 1 },
        { label: 'forecast', stroke: '#ff7f0e', width: 1, dash: [4, 3] },
        // Only points: the anomalous series is null except where the point was judged anomalous.
        { label: 'anomalous', stroke: '#d62728', fill: '#d62728', width: 0, paths: () => null,
          points: { show: true, size: 6, stroke: '#d62728', fill: '#d62728' } },
      ],
    };
  }

  // Sections stay ordered by channel name: insert before the first one whose name sorts after.
  function insertSorted(id, section) {
    let next = null;
    for (const [otherId, other] of channels) {
      if (otherId > id && (next === null || otherId < next.id)) {
        next = { id: otherId, section: other.section };
      }
    }
    list.insertBefore(section, next ? next.section : null);
  }

  function channel(id) {
    let ch = channels.get(id);
    if (ch) {
      return ch;
    }
    if (empty) {
      empty.remove();
    }
    const section = document.createElement('section');
    section.className = 'channel';
    const title = document.createElement('h2');
    title.textContent = id;
    const info = document.createElement('p');
    info.className = 'info';
    const chart = document.createElement('div');
    section.append(title, info, chart);
    insertSorted(id, section);
    ch = { section, info, x: [], value: [], forecast: [], anomalous: [], last: null, dirty: true };
    ch.plot = new uPlot(options(), data(ch), chart);
    channels.set(id, ch);
    return ch;
  }

  function data(ch) {
    return [ch.x, ch.value, ch.forecast, ch.anomalous];
  }

  function add(score) {
    const ch = channel(score.channelId);
    const x = score.eventTime / 1000; // uPlot time scales are in seconds
    if (ch.x.length > 0 && x < ch.x[ch.x.length - 1]) {
      // uPlot needs ascending x; time going back means a replay restarted, so start the chart over.
      ch.x.length = ch.value.length = ch.forecast.length = ch.anomalous.length = 0;
    }
    ch.x.push(x);
    ch.value.push(score.value);
    ch.forecast.push(score.forecast);
    ch.anomalous.push(score.anomalous ? score.value : null);
    if (ch.x.length > MAX_POINTS) {
      ch.x.shift();
      ch.value.shift();
      ch.forecast.shift();
      ch.anomalous.shift();
    }
    ch.last = score;
    ch.dirty = true;
  }

  function fmt(v) {
    return v === null || v === undefined ? '—' : Number(v).toPrecision(4);
  }

  function describe(ch) {
    const s = ch.last;
    const flagged = ch.anomalous.reduce((n, v) => (v === null ? n : n + 1), 0);
    const model = s.detector + (s.modelVersion === null ? '' : ' v' + s.modelVersion);
    return 'value ' + fmt(s.value) + ' · forecast ' + fmt(s.forecast) + ' · smoothed error '
      + fmt(s.smoothedError) + ' · threshold ' + (s.threshold === null ? 'warming up' : fmt(s.threshold))
      + ' · ' + model + ' · ' + flagged + ' anomalous of ' + ch.x.length
      + ' · ' + new Date(s.eventTime).toISOString();
  }

  function redraw() {
    for (const ch of channels.values()) {
      if (!ch.dirty) {
        continue;
      }
      ch.dirty = false;
      ch.plot.setData(data(ch));
      ch.info.textContent = describe(ch);
      ch.section.classList.toggle('alarm', ch.last.anomalous === true);
    }
    if (source && source.readyState === EventSource.OPEN) {
      setStatus('connected · ' + received + ' events · ' + channels.size + ' channels', 'ok');
    }
  }

  function connect() {
    source = new EventSource('/events');
    source.onopen = () => setStatus('connected', 'ok');
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (e.g. the server answered with an error): try again ourselves.
        setStatus('disconnected · retrying in 5 s', 'bad');
        setTimeout(connect, 5000);
      } else {
        setStatus('reconnecting…', 'warn');
      }
    };
    source.addEventListener('score', (event) => {
      let score;
      try {
        score = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      if (score && typeof score.channelId === 'string') {
        received++;
        add(score);
      }
    });
  }

  let resizeTimer = null;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const ch of channels.values()) {
        ch.plot.setSize({ width: chartWidth(), height: CHART_HEIGHT });
      }
    }, 200);
  });

  setInterval(redraw, REDRAW_MS);
  connect();
})();
