'use strict';
// Node view: a card per node with its state, how long it has been so and how long ago it last beat, ticking.
(function (V) {
  const M = V.model;
  const grid = document.getElementById('node-grid');
  const cards = new Map(); // node id -> card elements

  function card(n) {
    let c = cards.get(n.nodeId);
    if (c) {
      return c;
    }
    const div = document.createElement('div');
    div.dataset.node = n.nodeId;
    const id = document.createElement('div');
    id.className = 'id';
    id.textContent = n.nodeId;
    id.title = n.nodeId;
    const badge = document.createElement('span');
    const since = document.createElement('div');
    since.className = 'since';
    const detail = document.createElement('div');
    detail.className = 'muted';
    div.append(id, badge, since, detail);
    c = { div, badge, since, detail };
    cards.set(n.nodeId, c);
    return c;
  }

  // Called every second while the node view is shown (the ages tick), and on changes.
  function render(query, now, structural) {
    const nodes = Array.from(V.state.nodes.values())
      .filter((n) => !query || n.nodeId.toLowerCase().includes(query));
    if (structural) {
      nodes.sort((a, b) => (b.state === 'FAULTED') - (a.state === 'FAULTED') || (a.nodeId < b.nodeId ? -1 : 1));
      grid.replaceChildren(...nodes.map((n) => card(n).div));
    }
    for (const n of nodes) {
      const c = card(n);
      c.div.className = 'node ' + n.state;
      c.div.dataset.state = n.state;
      c.badge.className = 'badge ' + n.state;
      c.badge.textContent = n.state;
      // Status records come at changes, not at every heartbeat: the latest heartbeat is what the
      // bridge read of the heartbeats topic, and the record's own when it is newer.
      const seen = Math.max(V.state.lastSeen.get(n.nodeId) || 0, n.lastHeartbeat || 0);
      const beat = seen ? 'last heartbeat ' + M.ago(Math.max(0, now - seen)) + ' ago' : 'last heartbeat unknown';
      c.since.textContent = n.state === 'FAULTED' ? beat : beat + ' · ' + n.state + ' for ' + M.ago(now - n.changedAt);
      c.since.dataset.lastSeen = seen || '';
      // The REST snapshot names the verdict "liveness"; a streamed node event names it "status".
      c.detail.textContent = (n.liveness || n.status || '') + ' at ' + new Date(n.changedAt).toLocaleTimeString()
        + (n.expectedIntervalMs ? ' · beats every ' + (n.expectedIntervalMs / 1000).toFixed(1) + ' s' : '');
    }
  }

  V.nodesView = { render };
})(window.Vigil);
