// quality-service's live dashboard: the live feed (WebSocket /api/v1/quality/live, docs/quality.md)
// drawn as rooms, streams, per-participant figures and charts, and the alerts. No dependencies.

const HISTORY_MS = 120_000;
const GRADES = ['excellent', 'good', 'medium', 'poor', 'unusable', 'unknown'];
const CHARTS = [
  { key: 'videoKbps', label: 'video kbit/s', scale: (max) => Math.max(max, 100) },
  { key: 'videoLoss', label: 'video loss %', value: (f) => (f.videoLoss == null ? null : f.videoLoss * 100), scale: (max) => Math.max(max, 5) },
  { key: 'rttMs', label: 'RTT ms', scale: (max) => Math.max(max, 50) },
];
const COLORS = ['#2d6cdf', '#e0742a', '#8e44ad', '#16a085', '#c0392b', '#7f8c8d'];

const streams = new Map(); // appId/streamId -> latest status
const history = new Map(); // appId/streamId/side:userId -> [{at, figures}]
let alerts = [];
let socket = null;

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v; else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
};
const gradeBadge = (g) => el('span', { class: `grade g${g}`, title: GRADES[g] ?? '' }, g);
const fmt = (v, digits = 0) => (v == null ? '–' : Number(v).toFixed(digits));

function connect(token) {
  if (socket) socket.close();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/quality/live`;
  socket = new WebSocket(url);
  setState('connecting …', false);
  socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token }));
  socket.onmessage = (e) => receive(JSON.parse(e.data));
  socket.onclose = (e) => setState(e.code === 4401 ? 'refused: the token lacks role hospital-it or admin (10503)' : 'disconnected', false);
}

function setState(text, on) {
  $('state').textContent = text;
  $('state').className = `state ${on ? 'on' : 'off'}`;
  document.body.dataset.connected = on ? 'true' : 'false';
}

function receive(message) {
  if (message.type === 'snapshot') {
    setState('live', true);
    streams.clear();
    for (const room of message.rooms) for (const s of room.streams) status(s, false);
    alerts = message.alerts;
  } else if (message.type === 'status') {
    status(message.data, true);
  } else if (message.type === 'alert') {
    alerts = [message.data, ...alerts].slice(0, 100);
  }
  render();
}

function status(s, record) {
  const key = `${s.appId}/${s.streamId}`;
  if (s.ended) { streams.delete(key); return; }
  streams.set(key, s);
  const at = Date.parse(s.at);
  for (const p of s.participants) {
    const hkey = `${key}/${p.side}:${p.userId}`;
    const points = history.get(hkey) ?? [];
    if (record || points.length === 0) points.push({ at, figures: p.figures });
    while (points.length && points[0].at < at - HISTORY_MS) points.shift();
    history.set(hkey, points);
  }
}

function rooms() {
  const byRoom = new Map();
  for (const s of streams.values()) {
    const key = `${s.appId}/${s.roomId}`;
    if (!byRoom.has(key)) byRoom.set(key, { appId: s.appId, roomId: s.roomId, streams: [] });
    byRoom.get(key).streams.push(s);
  }
  const list = [...byRoom.values()];
  for (const r of list) r.grade = Math.max(-1, ...r.streams.map((s) => (s.grade === 5 ? -1 : s.grade)));
  return list.sort((a, b) => b.grade - a.grade || a.roomId.localeCompare(b.roomId));
}

function render() {
  const list = rooms();
  $('count').textContent = list.length ? `(${list.length})` : '';
  const container = $('rooms');
  container.replaceChildren(...(list.length ? list.map(renderRoom) : [el('p', { class: 'empty' }, 'No consultation with live quality samples.')]));
  for (const canvas of container.querySelectorAll('canvas')) draw(canvas);
  const items = alerts.map((a) => el('li', { class: a.state },
    el('strong', {}, `${a.rule} ${a.state}`), ` · room ${a.roomId} · ${a.streamId} · ${a.side} ${a.userId}`, el('br'),
    `${a.metric} ${a.comparison} ${a.threshold}: ${fmt(a.value, 3)} (worst ${fmt(a.worst, 3)}) · ${new Date(a.at).toLocaleTimeString()}`));
  $('alerts').replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, 'None.')]));
}

function renderRoom(room) {
  return el('div', { class: 'room', 'data-room': room.roomId },
    el('div', { class: 'title' }, gradeBadge(room.grade < 0 ? 5 : room.grade), `room ${room.roomId}`, el('span', { class: 'app' }, `app ${room.appId}`)),
    ...room.streams.sort((a, b) => a.streamId.localeCompare(b.streamId)).map(renderStream));
}

function renderStream(s) {
  const rows = s.participants.map((p, i) => el('tr', {},
    el('td', {}, gradeBadge(p.figures.grade)),
    el('td', {}, el('span', { class: 'swatch', style: `background:${COLORS[i % COLORS.length]}` }), `${p.side} ${p.userId}`),
    el('td', {}, fmt(p.figures.mos, 2)), el('td', {}, fmt(p.figures.videoKbps)), el('td', {}, fmt(p.figures.fps)),
    el('td', {}, p.figures.width ? `${p.figures.width}x${p.figures.height}` : '–'),
    el('td', {}, p.figures.videoLoss == null ? '–' : `${(p.figures.videoLoss * 100).toFixed(1)} %`),
    el('td', {}, fmt(p.figures.rttMs)), el('td', {}, fmt(p.figures.freezes)),
    el('td', {}, p.openAlerts.length ? el('span', { class: 'alert-open' }, p.openAlerts.join(', ')) : '')));
  const charts = CHARTS.map((c) => el('div', { class: 'chart' }, el('div', { class: 'label' }, c.label),
    el('canvas', { 'data-stream': `${s.appId}/${s.streamId}`, 'data-chart': c.key, width: 300, height: 60 })));
  return el('div', { class: 'stream', 'data-stream': s.streamId },
    el('div', { class: 'name' }, `stream ${s.streamId} · publisher ${s.publisherUserId ?? '?'}`),
    el('table', {}, el('tr', {}, ...['', 'participant', 'MOS', 'kbit/s', 'fps', 'size', 'loss', 'RTT ms', 'freezes', 'alerts'].map((h) => el('th', {}, h))), ...rows),
    el('div', { class: 'charts' }, ...charts));
}

/** One chart: a line per participant (up to the last two minutes). */
function draw(canvas) {
  const chart = CHARTS.find((c) => c.key === canvas.dataset.chart);
  const prefix = `${canvas.dataset.stream}/`;
  const status = streams.get(canvas.dataset.stream);
  // one line per participant, in the table's order and colours
  const series = (status ? status.participants : []).map((p) => history.get(`${prefix}${p.side}:${p.userId}`) ?? []);
  const value = chart.value ?? ((f) => f[chart.key]);
  const now = Date.now();
  let max = 0;
  let drawn = 0;
  let oldest = now;
  for (const points of series) {
    for (const p of points) {
      const v = value(p.figures);
      if (v != null) max = Math.max(max, v);
      oldest = Math.min(oldest, p.at);
    }
  }
  // the time axis spans what there is, from 10 s up to two minutes, so a new stream's line is readable
  const span = Math.min(HISTORY_MS, Math.max(10_000, now - oldest));
  max = chart.scale(max);
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = '#e3e7ec';
  g.beginPath(); g.moveTo(0, canvas.height - 0.5); g.lineTo(canvas.width, canvas.height - 0.5); g.stroke();
  series.forEach((points, i) => {
    g.strokeStyle = COLORS[i % COLORS.length];
    g.lineWidth = 1.5;
    g.beginPath();
    let started = false;
    for (const p of points) {
      const v = value(p.figures);
      if (v == null) continue;
      const x = canvas.width * (1 - (now - p.at) / span);
      const y = canvas.height - 2 - (canvas.height - 4) * (v / max);
      if (started) g.lineTo(x, y); else { g.moveTo(x, y); started = true; }
      drawn++;
    }
    g.stroke();
  });
  canvas.dataset.points = String(drawn);
}

$('connect').addEventListener('submit', (e) => {
  e.preventDefault();
  const token = $('token').value.trim();
  sessionStorage.setItem('wenzhen-quality-token', token); // this tab only, never the URL
  connect(token);
});
const saved = sessionStorage.getItem('wenzhen-quality-token');
if (saved) { $('token').value = saved; connect(saved); }
setInterval(() => { for (const c of document.querySelectorAll('canvas')) draw(c); }, 1000);
