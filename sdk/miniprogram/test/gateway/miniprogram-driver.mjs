// Drives the mini-program SDK against a real gateway for the Java end-to-end tests:
//
//   node --experimental-websocket sdk/miniprogram/test/gateway/miniprogram-driver.mjs <wsUrl> <appId> <roomId> <userId> <token>
//
// It stands in for the WeChat runtime (a `wx` whose connectSocket is Node's WebSocket, a page whose
// setData keeps the data, a LivePusherContext that accepts zoom), logs in, binds the page with
// initContext, prints {"ready":true}, then runs one command per stdin line and prints one JSON line
// per command; every SDK event is printed as {"event": name, "args": [...]} when it happens.
// Commands (docs/sdk-miniprogram.md, "Tests"):
//   publish <streamID>             {"ok":true,"pusher":{…the live-pusher attributes set…}}
//   pushstate <code>               a live-pusher statechange code                 {"ok":true}
//   play <streamID> [flv|rtmp]     {"ok":true,"player":{…the playerList entry…}}
//   playstate <streamID> <code>    a live-player statechange code                 {"ok":true}
//   netstatus <streamID> <json>    a bindnetstatus info (the pusher's streamID: publish side) {"ok":true,"stats":{…}}
//   zoom <factor>                  {"ok":true,"zoom":factor}
//   page                           {"ok":true,"pusher":{…},"playerList":[…]}: what the page shows now
//   stop-publish                   {"ok":true,"stopped":true|false}
//   stop-play <streamID>           {"ok":true,"stopped":true|false}
//   logout                         {"ok":true}
//   destroy                        {"ok":true}, then exits
// Any failure: {"ok":false,"code":…,"msg":…}. A failed login prints {"ready":false,"code":…,"msg":…}
// and exits with 1. The driver exits when stdin closes.
import { createInterface } from 'node:readline';
import { ZegoExpressEngine } from '../../src/index.js';

const [wsUrl, appId, roomId, userId, token] = process.argv.slice(2);

if (!token) {
  // `node --test test/` runs every file under test/, this one included: nothing to do there
  if (process.env.NODE_TEST_CONTEXT) process.exit(0);
  process.stderr.write('usage: node --experimental-websocket miniprogram-driver.mjs <wsUrl> <appId> <roomId> <userId> <token>\n');
  process.exit(2);
}
if (typeof WebSocket !== 'function') {
  process.stderr.write('no WebSocket in this Node: run it with --experimental-websocket (Node 20) or Node 22+\n');
  process.exit(2);
}

const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** WeChat's connectSocket over Node's WebSocket: the SocketTask surface the SDK's adapter uses. */
function connectSocket({ url, fail }) {
  let socket;
  try {
    socket = new WebSocket(url);
  } catch (e) {
    setTimeout(() => fail?.({ errMsg: `connectSocket:fail ${e.message}` }), 0);
    socket = null;
  }
  const on = {};
  if (socket) {
    socket.onopen = () => on.open?.({});
    socket.onmessage = (e) => on.message?.({ data: e.data });
    socket.onerror = (e) => on.error?.({ errMsg: String(e?.message ?? 'socket error') });
    socket.onclose = (e) => on.close?.({ code: e.code, reason: e.reason });
  }
  return {
    onOpen: (cb) => { on.open = cb; },
    onMessage: (cb) => { on.message = cb; },
    onError: (cb) => { on.error = cb; },
    onClose: (cb) => { on.close = cb; },
    send: ({ data }) => socket?.send(data),
    close: ({ code, reason }) => socket?.close(code, reason),
  };
}

const wx = {
  connectSocket,
  createLivePusherContext: () => ({
    setZoom: ({ success }) => setTimeout(() => success?.({}), 0),
    getMaxZoom: ({ success }) => setTimeout(() => success?.({ maxZoom: 5 }), 0),
  }),
};

const page = { data: {}, setData(patch) { Object.assign(this.data, patch); } };

const EVENTS = ['roomStateUpdate', 'roomUserUpdate', 'roomOnlineUserCountUpdate', 'roomStreamUpdate',
  'IMRecvBroadcastMessage', 'tokenWillExpire', 'publisherStateUpdate', 'playerStateUpdate',
  'publishQualityUpdate', 'playQualityUpdate'];

const zg = new ZegoExpressEngine(Number(appId), wsUrl, { wx });
const lastFailure = new Map(); // 'publish:streamID' | 'play:streamID' -> the NO_PUBLISH / NO_PLAY result
for (const name of EVENTS) zg.on(name, (...args) => print({ event: name, args }));
zg.on('publisherStateUpdate', (r) => { if (r.state === 'NO_PUBLISH' && r.errorCode) lastFailure.set(`publish:${r.streamID}`, r); });
zg.on('playerStateUpdate', (r) => { if (r.state === 'NO_PLAY' && r.errorCode) lastFailure.set(`play:${r.streamID}`, r); });

/** {ok:false} from the NO_PUBLISH / NO_PLAY that explains a false start or play. */
function failed(key) {
  const r = lastFailure.get(key);
  return { ok: false, code: r?.errorCode ?? 10401, msg: r?.extendedData ?? '' };
}

const commands = {
  async publish(streamID) {
    lastFailure.delete(`publish:${streamID}`);
    return (await zg.createPusher().start(streamID)) ? { ok: true, pusher: page.data.pusher } : failed(`publish:${streamID}`);
  },
  page() {
    return { ok: true, pusher: page.data.pusher ?? {}, playerList: page.data.playerList ?? [] };
  },
  pushstate(code) {
    zg.updatePusherState({ detail: { code: Number(code), message: '' } });
    return { ok: true };
  },
  async play(streamID, transport = 'flv') {
    lastFailure.delete(`play:${streamID}`);
    if (!(await zg.getPlayerInstance(streamID).play({ transport }))) return failed(`play:${streamID}`);
    return { ok: true, player: (page.data.playerList ?? []).find((p) => p.id === streamID) };
  },
  playstate(streamID, code) {
    zg.updatePlayerState(streamID, { detail: { code: Number(code), message: '' } });
    return { ok: true };
  },
  netstatus(streamID, ...json) {
    let stats;
    const capture = (id, s) => { if (id === streamID) stats = s; };
    zg.on('publishQualityUpdate', capture);
    zg.on('playQualityUpdate', capture);
    try {
      zg.updatePlayerNetStatus(streamID, { detail: { info: JSON.parse(json.join(' ')) } });
    } finally {
      zg.off('publishQualityUpdate', capture);
      zg.off('playQualityUpdate', capture);
    }
    return stats ? { ok: true, stats } : { ok: false, code: 10406, msg: `${streamID} is neither published nor played here` };
  },
  async zoom(factor) {
    return { ok: true, zoom: await zg.setCameraZoom(Number(factor)) };
  },
  'stop-publish'() {
    return { ok: true, stopped: zg.getPusherInstance().stop() };
  },
  'stop-play'(streamID) {
    return { ok: true, stopped: zg.getPlayerInstance(streamID).stop() };
  },
  async logout() {
    await zg.logoutRoom(roomId);
    return { ok: true };
  },
  destroy() {
    zg.destroyEngine();
    return { ok: true };
  },
};

async function run(line) {
  const [name, ...args] = line.trim().split(/\s+/);
  if (!name) return;
  const command = commands[name];
  if (!command) { print({ ok: false, code: 10410, msg: `unknown command: ${name}` }); return; }
  try {
    print(await command(...args));
  } catch (e) {
    print({ ok: false, code: e?.code ?? 10410, msg: e?.msg ?? String(e?.message ?? e) });
  }
  if (name === 'destroy') process.exit(0);
}

try {
  await zg.loginRoom(roomId, token, { userID: userId, userName: userId }, { userUpdate: true });
} catch (e) {
  print({ ready: false, code: e.code, msg: e.msg });
  zg.destroyEngine();
  process.exit(1);
}
zg.initContext({ wxContext: page, pushAtr: 'pusher', playAtr: 'playerList' });
print({ ready: true });

// one command at a time, in order: a command's reply line comes after the events it caused synchronously
const lines = createInterface({ input: process.stdin });
for await (const line of lines) await run(line);
zg.destroyEngine();
process.exit(0);
