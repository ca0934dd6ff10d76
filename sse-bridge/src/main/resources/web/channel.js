'use strict';
// Channel view: value vs forecast with predicted anomaly bands (red) and ground-truth label bands
// (purple), and smoothed error vs threshold below, sharing the time axis. Two uPlot instances, for the
// open channel only.
(function (V) {
  const M = V.model;
  const HEIGHT = 240;
  const title = document.getElementById('channel-title');
  const info = document.getElementById('channel-info');
  const segmentsList = document.getElementById('channel-segments');
  const valueBox = document.getElementById('chart-value');
  const errorBox = document.getElementById('chart-error');
  let current = null; // { id, valuePlot, errorPlot }

  function width() {
    return Math.max(320, Math.min(document.body.clientWidth - 48, 1400));
  }

  // Draws bands under the series: hooks run on every redraw, so bands follow zoom and new data.
  function bandsPlugin(id) {
    return {
      hooks: {
        drawClear: [(u) => {
          const ch = V.state.channels.get(id);
          if (!ch) {
            return;
          }
          const g = u.ctx;
          const { top, height } = u.bbox;
          const paint = (bands, color) => {
            g.fillStyle = color;
            for (const [a, b] of bands) {
              const x0 = u.valToPos(a, 'x', true);
              const x1 = u.valToPos(b, 'x', true);
              g.fillRect(x0, top, Math.max(2, x1 - x0), height);
            }
          };
          paint(M.labelBands(ch), 'rgba(106, 27, 154, 0.20)');
          paint(M.predictedBands(ch), 'rgba(198, 40, 40, 0.22)');
        }],
      },
    };
  }

  function valueOptions(id, sync) {
    return {
      width: width(), height: HEIGHT, legend: { show: false }, plugins: [bandsPlugin(id)],
      cursor: { sync: { key: sync } }, scales: { x: { time: true } },
      series: [
        {},
        { label: 'value', stroke: '#1f77b4', width: 1 },
        { label: 'forecast', stroke: '#ff7f0e', width: 1, dash: [4, 3] },
        // Only points: null except where the point was judged anomalous.
        { label: 'anomalous', stroke: '#c62828', fill: '#c62828', width: 0, paths: () => null,
          points: { show: true, size: 6, stroke: '#c62828', fill: '#c62828' } },
      ],
    };
  }

  function errorOptions(id, sync) {
    return {
      width: width(), height: HEIGHT * 0.6, legend: { show: false }, plugins: [bandsPlugin(id)],
      cursor: { sync: { key: sync } }, scales: { x: { time: true } },
      series: [
        {},
        { label: 'smoothed error', stroke: '#2e7d32', width: 1 },
        { label: 'threshold', stroke: '#c62828', width: 1, dash: [4, 3] },
      ],
    };
  }

  function open(id) {
    if (current && current.id === id) {
      return;
    }
    close();
    const ch = M.channel(id);
    const sync = 'channel-' + Date.now();
    current = {
      id,
      valuePlot: new uPlot(valueOptions(id, sync), [ch.x, ch.value, ch.forecast, ch.anomalous], valueBox),
      errorPlot: new uPlot(errorOptions(id, sync), [ch.x, ch.error, ch.threshold], errorBox),
    };
    title.textContent = id;
    ch.dirty = true;
    V.loadSegments(id);
    V.loadHistory(id);
  }

  function close() {
    if (current) {
      current.valuePlot.destroy();
      current.errorPlot.destroy();
      current = null;
    }
  }

  function describe(ch) {
    const s = ch.last;
    const parts = [M.status(ch).replace('_', ' ')];
    if (s) {
      parts.push('value ' + M.fmt(s.value), 'forecast ' + M.fmt(s.forecast), 'smoothed error ' + M.fmt(s.smoothedError),
        'threshold ' + (s.threshold === null ? 'warming up' : M.fmt(s.threshold)));
      if (s.drift !== null && s.drift !== undefined) {
        // W1 of recent values from the training values, in the model's scaled units (training spans 2).
        parts.push('drift ' + M.fmt(s.drift));
      }
    }
    parts.push('model ' + (ch.detector ? ch.detector + (ch.modelVersion === null ? '' : ' v' + ch.modelVersion) : '—'));
    parts.push('anomalies ' + ch.anomalyCount, 'labels ' + ch.labelCount, ch.x.length + ' points');
    if (s) {
      parts.push('at ' + new Date(s.eventTime).toISOString());
    }
    return parts.join(' · ');
  }

  function segments(ch) {
    const all = [];
    for (const a of ch.segments.values()) {
      all.push({ start: a.start, text: 'predicted ' + new Date(a.start).toISOString() + ' → '
        + (a.end === null || a.end === undefined ? 'open' : new Date(a.end).toISOString())
        + ' · ' + (a.detector || a.kind || '') + ' · severity ' + M.fmt(a.severity) });
    }
    for (const l of ch.labels.values()) {
      all.push({ start: l.start, text: 'labeled ' + new Date(l.start).toISOString() + ' → '
        + new Date(l.end).toISOString() + (l.kind ? ' · ' + l.kind : '') });
    }
    all.sort((a, b) => b.start - a.start);
    segmentsList.replaceChildren(...all.slice(0, 50).map((s) => {
      const li = document.createElement('li');
      li.textContent = s.text;
      return li;
    }));
  }

  // Called every 250 ms while the channel view is shown.
  function render() {
    if (!current) {
      return;
    }
    const ch = V.state.channels.get(current.id);
    if (!ch || !ch.dirty) {
      return;
    }
    ch.dirty = false;
    current.valuePlot.setData([ch.x, ch.value, ch.forecast, ch.anomalous]);
    current.errorPlot.setData([ch.x, ch.error, ch.threshold]);
    info.textContent = describe(ch);
    segments(ch);
    // For tests and for anyone inspecting the page: what is drawn, in numbers.
    valueBox.dataset.points = String(ch.x.length);
    valueBox.dataset.received = String(ch.received);
    valueBox.dataset.predictedBands = String(M.predictedBands(ch).length);
    valueBox.dataset.labelBands = String(M.labelBands(ch).length);
    valueBox.dataset.lastValue = ch.last ? String(ch.last.value) : '';
  }

  function resize() {
    if (current) {
      current.valuePlot.setSize({ width: width(), height: HEIGHT });
      current.errorPlot.setSize({ width: width(), height: HEIGHT * 0.6 });
    }
  }

  V.channelView = { open, close, render, resize, current: () => (current ? current.id : null) };
})(window.Vigil);
