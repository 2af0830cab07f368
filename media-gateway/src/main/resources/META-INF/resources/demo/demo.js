// The web debug page: the Web SDK as an app would use it (it is served by the same gateway).
import { ZegoExpressEngine } from '../sdk/index.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
$('appId').value = params.get('appId') ?? '';
$('userId').value = params.get('userId') ?? 'user_' + Math.random().toString(36).slice(2, 7);
if (params.get('roomId')) $('roomId').value = params.get('roomId');

let zg = null;
let local = null;
let roomID = null;
const publishing = () => $('userId').value + '_main';
const users = new Map();
const streams = new Map();

function log(text) {
  const li = document.createElement('li');
  li.textContent = new Date().toLocaleTimeString() + '  ' + text;
  $('log').prepend(li);
}

function render() {
  $('users').replaceChildren(...[...users.values()].map((u) => Object.assign(document.createElement('li'), { textContent: `${u.userName} (${u.userID})` })));
  $('streams').replaceChildren(...[...streams.values()].map((s) => Object.assign(document.createElement('li'), { textContent: `${s.streamID} — ${s.user.userID}` })));
}

function quality(stats) {
  return `${stats.video.frameWidth}×${stats.video.frameHeight} ${stats.video.videoFPS} fps ${stats.video.videoBitrate} kbps · audio ${stats.audio.audioBitrate} kbps · loss ${(100 * stats.video.videoPacketsLostRate).toFixed(1)} % · rtt ${stats.currentRoundTripTime ?? '–'} ms · grade ${stats.quality}`;
}

function remoteFigure(streamID) {
  let figure = document.getElementById('remote-' + streamID);
  if (!figure) {
    figure = document.createElement('figure');
    figure.id = 'remote-' + streamID;
    figure.innerHTML = '<video autoplay playsinline></video><figcaption></figcaption>';
    figure.querySelector('figcaption').textContent = streamID;
    $('remotes').append(figure);
  }
  return figure;
}

async function play(streamID) {
  try {
    const stream = await zg.startPlayingStream(streamID);
    remoteFigure(streamID).querySelector('video').srcObject = stream;
  } catch (e) {
    log(`play ${streamID} failed: ${e.code} ${e.msg}`);
  }
}

function newEngine() {
  const engine = new ZegoExpressEngine(Number($('appId').value), location.origin.replace(/^http/, 'ws') + '/ws');
  engine.on('roomStateUpdate', (room, state, code) => {
    $('state').textContent = state; $('state').className = 'state ' + state;
    log(`roomStateUpdate ${state} ${code || ''}`);
    if (state === 'DISCONNECTED') leftRoom();
  });
  engine.on('roomUserUpdate', (room, type, list) => {
    list.forEach((u) => (type === 'ADD' ? users.set(u.userID, u) : users.delete(u.userID)));
    log(`roomUserUpdate ${type} ${list.map((u) => u.userID).join(', ')}`);
    render();
  });
  engine.on('roomOnlineUserCountUpdate', (room, count) => { $('online').textContent = `${count} online`; });
  engine.on('roomStreamUpdate', (room, type, list) => {
    log(`roomStreamUpdate ${type} ${list.map((s) => s.streamID).join(', ')}`);
    for (const s of list) {
      if (type === 'ADD') { streams.set(s.streamID, s); play(s.streamID); } else { streams.delete(s.streamID); remoteFigure(s.streamID).remove(); }
    }
    render();
  });
  engine.on('publisherStateUpdate', (r) => log(`publisherStateUpdate ${r.streamID} ${r.state} ${r.errorCode || ''}`));
  engine.on('playerStateUpdate', (r) => log(`playerStateUpdate ${r.streamID} ${r.state} ${r.errorCode || ''}`));
  engine.on('publishQualityUpdate', (id, stats) => { $('localQuality').textContent = quality(stats); });
  engine.on('playQualityUpdate', (id, stats) => { remoteFigure(id).querySelector('figcaption').textContent = `${id}: ${quality(stats)}`; });
  engine.on('IMRecvBroadcastMessage', (room, list) => list.forEach((m) => log(`message from ${m.fromUser.userID}: ${m.message}`)));
  engine.on('tokenWillExpire', () => log('tokenWillExpire: get a new token and renew'));
  return engine;
}

function leftRoom() {
  roomID = null;
  users.clear(); streams.clear(); render();
  $('remotes').replaceChildren();
  for (const id of ['leave', 'publish', 'unpublish', 'send']) $(id).disabled = true;
  $('join').disabled = false;
}

$('devToken').onclick = async () => {
  const response = await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appId: Number($('appId').value), userID: $('userId').value, roomID: $('roomId').value }) });
  if (!response.ok) { log(`dev token refused (HTTP ${response.status}): outside ./wenzhen up, tokens come from your back end`); return; }
  $('token').value = (await response.json()).token;
  log('dev token issued for ' + $('userId').value);
};

$('join').onclick = async () => {
  zg?.destroyEngine();
  zg = newEngine();
  roomID = $('roomId').value;
  $('join').disabled = true;
  try {
    await zg.loginRoom(roomID, $('token').value.trim(), { userID: $('userId').value, userName: $('userId').value }, { userUpdate: true });
    for (const id of ['leave', 'publish', 'send']) $(id).disabled = false;
  } catch (e) {
    log(`login failed: ${e.code} ${e.msg}`);
    $('join').disabled = false;
  }
};

$('leave').onclick = async () => {
  await zg.logoutRoom(roomID);
  if (local) { zg.destroyStream(local); local = null; $('localVideo').srcObject = null; }
};

$('publish').onclick = async () => {
  try {
    local = local ?? await zg.createStream({ camera: { audio: true, video: true, videoQuality: 2 } });
  } catch (e) {
    log(`camera: ${e.code} ${e.msg}`);
    return;
  }
  $('localVideo').srcObject = local;
  const max = zg.getCameraMaxZoom(local);
  $('zoomBox').hidden = max <= 1; $('zoom').max = String(max);
  zg.startPublishingStream(publishing(), local, { videoCodec: $('codec').value });
  $('publish').disabled = true; $('unpublish').disabled = false;
};

$('unpublish').onclick = () => {
  zg.stopPublishingStream(publishing());
  $('publish').disabled = false; $('unpublish').disabled = true;
};

$('zoom').oninput = () => zg.setCameraZoom(local, Number($('zoom').value)).catch((e) => log(`zoom: ${e.msg}`));

$('send').onclick = async () => {
  const result = await zg.sendBroadcastMessage(roomID, $('message').value);
  log(result.errorCode === 0 ? 'message sent' : `message failed: ${result.errorCode}`);
  $('message').value = '';
};
