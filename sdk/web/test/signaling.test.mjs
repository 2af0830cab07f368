// Signaling with an injected socket factory (the mini-program SDK's way in): hello, requests and
// replies, events with seq, a request with no reply, a heartbeat with no reply.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Signaling } from '../src/signaling.js';
import { FakeGateway, fakeWebSocketClass, settle } from '../testing/fake-gateway.mjs';

function connected(gateway, listener = {}) {
  const FakeWebSocket = fakeWebSocketClass(gateway);
  const created = [];
  const signaling = new Signaling('wss://gw.test/ws', { event: () => {}, connection: () => {}, ...listener }, {
    createSocket: (url) => { const s = new FakeWebSocket(url); created.push(s); return s; },
  });
  return { signaling, created };
}

test('the injected factory makes the socket; requests get their replies, events their seq order', async () => {
  const gateway = new FakeGateway();
  const events = [];
  const { signaling, created } = connected(gateway, { event: (m) => events.push(m.type) });
  await signaling.connect();
  assert.equal(created.length, 1);
  await signaling.connect();
  assert.equal(created.length, 1, 'an open socket is reused');
  const reply = await signaling.request('login', { appId: 1, roomId: 'r', token: 't', user: { userID: 'u' } });
  assert.equal(reply.ok, true);
  gateway.event({ type: 'roomOnlineUserCountUpdate', roomID: 'r', count: 2 });
  await settle();
  assert.deepEqual(events, ['roomOnlineUserCountUpdate']);
  signaling.close();
  await assert.rejects(signaling.request('heartbeat'), { code: 10401 });
});

test('a request without a reply rejects with 10401 after 15 s; a heartbeat without one closes the socket', async (t) => {
  const gateway = new FakeGateway({ heartbeatInterval: 10000 });
  // before connecting: the heartbeat's interval starts with the hello
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  const { signaling, created } = connected(gateway);
  t.after(() => { mock.timers.reset(); signaling.close(); });
  await signaling.connect();
  gateway.silence('broadcast');
  gateway.silence('heartbeat');
  const pending = signaling.request('broadcast', { message: 'x' });
  mock.timers.tick(15000);
  await assert.rejects(pending, { code: 10401, msg: 'the gateway cannot be reached: no reply to broadcast within 15000 ms' });
  mock.timers.tick(10000); // the heartbeat goes out
  mock.timers.tick(15000); // and gets no reply
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(created[0].readyState >= 2, true, 'the silent socket is closed, to be reconnected');
});

test('a probe (the media went silent) drops a socket whose heartbeat gets no reply within a second, without waiting for its close', async (t) => {
  const gateway = new FakeGateway({ heartbeatInterval: 60000 });
  const states = [];
  const { signaling, created } = connected(gateway, { connection: (state) => states.push(state) });
  await signaling.connect();
  const login = await signaling.request('login', { appId: 1, roomId: 'r', token: 't', user: { userID: 'u' } });
  signaling.loggedIn(login.data.sessionId, login.data.resumeToken);
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => { mock.timers.reset(); signaling.close(); });
  // the network changed: the socket swallows everything, and closing it never brings its close event
  gateway.silence('heartbeat');
  created[0].close = () => {};
  signaling.probe();
  await flush();
  mock.timers.tick(999);
  await flush();
  assert.deepEqual(states, [], 'still waiting for the reply');
  mock.timers.tick(1);
  await flush();
  assert.deepEqual(states, ['CONNECTING'], 'dropped at once');
  mock.timers.tick(250); // the first reconnect
  await flush();
  assert.equal(created.length, 2, 'a new socket');
});

/** Pending callbacks and promises (not timers: the test moves those). */
async function flush() {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

// The connection handshake over a socket the test plays by hand: what an app hears when the gateway
// refuses the connection before its hello.
/** A WebSocket-shaped object whose server side the test plays. */
function scriptedSocket() {
  const socket = { readyState: 0, sent: [], send: (text) => socket.sent.push(text), close: () => { socket.readyState = 3; } };
  socket.serverSends = (message) => socket.onmessage({ data: JSON.stringify(message) });
  socket.serverCloses = () => { socket.readyState = 3; socket.onclose({ code: 1000, reason: '' }); };
  return socket;
}

function signalingOver(socket) {
  return new Signaling('ws://gw.test/ws', { event: () => {}, connection: () => {} }, { createSocket: () => socket });
}

test('a connection the gateway refuses (its connection caps) rejects with the gateway\'s code, not NOT_CONNECTED', async () => {
  const socket = scriptedSocket();
  const connecting = signalingOver(socket).connect();
  socket.readyState = 1;
  socket.serverSends({ type: 'reply', id: null, ok: false, code: 10322, error: 'TOO_MANY_CONNECTIONS',
    message: 'too many connections from this address' });
  socket.serverCloses();
  await assert.rejects(connecting, (e) => e.code === 10322 && e.error === 'TOO_MANY_CONNECTIONS');
});

test('a connection that closes before its hello, without a reason, is NOT_CONNECTED (10401)', async () => {
  const socket = scriptedSocket();
  const connecting = signalingOver(socket).connect();
  socket.serverCloses();
  await assert.rejects(connecting, (e) => e.code === 10401);
});

test('a connection without a hello within 10 s (a lost host swallowing packets) rejects with NOT_CONNECTED and is closed', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  const socket = scriptedSocket();
  const connecting = signalingOver(socket).connect();
  mock.timers.tick(9999);
  assert.equal(socket.readyState, 0, 'still waiting');
  mock.timers.tick(1);
  await assert.rejects(connecting, (e) => e.code === 10401 && /no answer within 10000 ms/.test(e.msg));
  assert.equal(socket.readyState, 3, 'the socket is given up');
});

test('the hello opens the connection', async () => {
  const socket = scriptedSocket();
  const signaling = signalingOver(socket);
  const connecting = signaling.connect();
  socket.readyState = 1;
  socket.serverSends({ type: 'hello', heartbeatInterval: 60000 });
  assert.equal(await connecting, undefined);
  signaling.close(); // its heartbeat timer
});
