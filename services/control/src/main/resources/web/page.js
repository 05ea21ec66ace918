// The cluster page: draws /api/snapshot, redraws it when /api/events says something changed,
// and each service's graphs from /api/graph (control asks Prometheus). No framework, no build.
'use strict';

const state = { revision: 0, source: null, reload: null, services: [] };
const GRAPH_REFRESH_MS = 10000;

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

// One colour per service, the same on its cards and its summary.
function colour(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return `hsl(${h}, 55%, 45%)`;
}

function card(task) {
  const c = el('div', { class: 'card', 'data-task-id': task.id, 'data-service': task.serviceName,
    'data-state': task.state },
    el('span', { class: `state state-${task.state}` }, task.state),
    el('div', { class: 'title' }, task.slot > 0 ? `${task.serviceName}.${task.slot}` : task.serviceName));
  c.style.setProperty('--colour', colour(task.serviceName));
  const why = task.error || task.message;
  if (why && task.state !== 'running') c.append(el('div', { class: 'reason' }, why));
  c.title = `${task.id}\n${task.message}${task.error ? '\n' + task.error : ''}`;
  return c;
}

function draw(snapshot) {
  state.revision = snapshot.revision;
  state.services = snapshot.services;
  document.getElementById('revision').textContent = `revision ${snapshot.revision}`;

  const services = document.getElementById('services');
  const kept = new Map([...services.querySelectorAll('.graph')].map(g => [g.dataset.key, g]));
  services.replaceChildren(...snapshot.services.map(s => {
    const counts = el('span', { class: 'counts' + (s.running < s.desired ? ' short' : '') }, `${s.running}/${s.desired}`);
    const box = el('div', { class: 'service', id: `service-${s.name}`, 'data-service': s.name,
      'data-desired': s.desired, 'data-running': s.running },
      counts, el('div', { class: 'name' }, s.name), el('div', { class: 'image', title: s.image }, `${s.mode} · ${s.image.replace(/@sha256:.*/, '')}`));
    if (s.error) box.append(el('div', { class: 'error' }, s.error));
    box.style.setProperty('--colour', colour(s.name));
    for (const g of graphs.list) {
      const key = `${s.id}/${g.name}`;
      box.append(kept.get(key) || el('div', { class: 'graph', 'data-key': key, 'data-graph': g.name },
        el('div', { class: 'graph-title' }, g.title)));
    }
    return box;
  }));

  const byNode = new Map(snapshot.nodes.map(n => [n.id, []]));
  const pending = [];
  for (const t of snapshot.tasks) {
    (t.nodeId && byNode.has(t.nodeId) ? byNode.get(t.nodeId) : pending).push(t);
  }
  const order = (a, b) => a.serviceName.localeCompare(b.serviceName) || a.slot - b.slot;
  document.getElementById('hosts').replaceChildren(...snapshot.nodes
    .slice().sort((a, b) => a.hostname.localeCompare(b.hostname))
    .map(n => el('div', { class: 'host' + (n.state === 'ready' ? '' : ' down'), 'data-node': n.hostname },
      el('h2', {}, n.hostname, ' ', el('span', { class: 'meta' }, `${n.state} · ${n.availability}`)),
      ...byNode.get(n.id).sort(order).map(card))));
  const section = document.getElementById('pending');
  section.replaceChildren(...(pending.length ? [el('h2', {}, 'Not on a node')] : []), ...pending.sort(order).map(card));
}

async function loadSnapshot() {
  const response = await fetch('api/snapshot', { cache: 'no-store' });
  if (!response.ok) throw new Error(`snapshot: HTTP ${response.status}`);
  draw(await response.json());
}

// Bursts of events (a scale of 50 tasks) cost one snapshot read.
function reloadSoon() {
  if (state.reload) return;
  state.reload = setTimeout(() => {
    state.reload = null;
    loadSnapshot().catch(e => console.warn(e));
  }, 250);
}

function logEvent(e) {
  const list = document.getElementById('events');
  const attrs = Object.entries(e.attributes || {}).map(([k, v]) => `${k}=${v}`).join(' ');
  list.prepend(el('li', {}, `${e.revision} ${e.type} ${e.action} ${e.name || e.id} ${attrs}`));
  while (list.children.length > 50) list.lastChild.remove();
}

function listen() {
  const live = document.getElementById('live');
  const source = new EventSource(`api/events?after=${state.revision}`);
  state.source = source;
  source.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  source.onmessage = m => { logEvent(JSON.parse(m.data)); reloadSoon(); };
  // Control ended the stream (the reader fell behind, or the revision is no longer kept):
  // read the whole state again and listen from it.
  source.addEventListener('end', () => { source.close(); restart(); });
  source.onerror = () => { live.textContent = 'reconnecting'; live.className = 'live off'; };
}

async function restart() {
  for (;;) {
    try {
      await loadSnapshot();
      listen();
      return;
    } catch (e) {
      console.warn(e);
      await new Promise(r => setTimeout(r, 2000));
    }
  }
}

const graphs = { enabled: false, list: [] };

function plot(box, points, note) {
  const W = 200, H = 40;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('data-points', String(points.length));
  if (points.length) {
    const t0 = points[0][0], t1 = points[points.length - 1][0];
    const max = Math.max(...points.map(p => p[1]), 1e-9);
    const xy = points.map(([t, v]) => [t1 > t0 ? (t - t0) / (t1 - t0) * W : W / 2, H - 2 - v / max * (H - 4)]);
    const line = document.createElementNS(svg.namespaceURI, 'polyline');
    line.setAttribute('points', xy.map(p => p.join(',')).join(' '));
    svg.append(line);
    const last = xy[xy.length - 1];
    const dot = document.createElementNS(svg.namespaceURI, 'circle');
    dot.setAttribute('cx', last[0]); dot.setAttribute('cy', last[1]); dot.setAttribute('r', 2);
    svg.append(dot);
  }
  const title = box.querySelector('.graph-title');
  const name = graphs.list.find(g => g.name === box.dataset.graph);
  const latest = points.length ? +points[points.length - 1][1].toFixed(2) : note || 'no data';
  title.textContent = `${name ? name.title : box.dataset.graph}: ${latest}`;
  box.querySelector('svg')?.remove();
  box.append(svg);
}

async function refreshGraphs() {
  if (!graphs.enabled) return;
  for (const box of document.querySelectorAll('.graph')) {
    const [service, name] = box.dataset.key.split('/');
    try {
      const response = await fetch(`api/graph?name=${encodeURIComponent(name)}&service=${encodeURIComponent(service)}`);
      if (!response.ok) continue;
      const answer = await response.json();
      plot(box, answer.points, answer.note);
    } catch (e) {
      console.warn(e);
    }
  }
}

async function start() {
  try {
    const response = await fetch('api/graphs');
    const answer = await response.json();
    graphs.enabled = answer.enabled;
    graphs.list = answer.enabled ? answer.graphs : [];
  } catch (e) {
    console.warn(e);
  }
  document.getElementById('graphs-note').textContent = graphs.enabled ? ''
    : 'Graphs are off: control was started without --prometheus-url.';
  await restart();
  refreshGraphs();
  setInterval(refreshGraphs, GRAPH_REFRESH_MS);
}

start();
