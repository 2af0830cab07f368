// The Web SDK's room half (login, events, kick, resume, logout, destroy) against the in-memory
// gateway, through a fake global WebSocket: the order of events the e2e tests and apps rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeGateway, fakeWebSocketClass, settle } from '../testing/fake-gateway.mjs';

const { ZegoExpressEngine } = await import('../src/index.js');

const ALL_EVENTS = ['roomStateUpdate', 'roomUserUpdate', 'roomOnlineUserCountUpdate', 'roomStreamUpdate',
  'IMRecvBroadcastMessage', 'tokenWillExpire', 'publisherStateUpdate', 'playerStateUpdate'];

/** A gateway, an engine whose `new WebSocket` reaches it, and the log of every event; destroyed after the test. */
function setup(t, options) {
  const gateway = new FakeGateway(options);
  globalThis.WebSocket = fakeWebSocketClass(gateway);
  const zg = new ZegoExpressEngine(1234, 'wss://gw.test/ws');
  const log = [];
  for (const name of ALL_EVENTS) zg.on(name, (...args) => log.push([name, ...args]));
  t.after(() => zg.destroyEngine());
  return { gateway, zg, log };
}

const stream = { streamID: 'doctor-1', user: { userID: 'doctor', userName: 'Dr' }, extraInfo: '' };

test('login: CONNECTING, CONNECTED, the promise, then what is already in the room', async (t) => {
  const { gateway, zg, log } = setup(t, { onlineCount: 2, userList: [{ userID: 'doctor', userName: 'Dr' }], streamList: [stream] });
  const order = [];
  zg.on('roomStateUpdate', (roomID, state) => order.push(state));
  zg.on('roomOnlineUserCountUpdate', () => order.push('count'));
  const result = await zg.loginRoom('room-1', 'token', { userID: 'patient', userName: 'P' }, { userUpdate: true });
  order.push('resolved');
  await settle();
  assert.equal(result, true);
  assert.deepEqual(order, ['CONNECTING', 'CONNECTED', 'resolved', 'count']);
  const login = gateway.requestsOf('login')[0];
  assert.deepEqual({ appId: login.appId, roomId: login.roomId, token: login.token, user: login.user, config: login.config },
    { appId: 1234, roomId: 'room-1', token: 'token', user: { userID: 'patient', userName: 'P' }, config: { userUpdate: true, maxMemberCount: 0 } });
  assert.deepEqual(log.slice(2), [
    ['roomOnlineUserCountUpdate', 'room-1', 2],
    ['roomUserUpdate', 'room-1', 'ADD', [{ userID: 'doctor', userName: 'Dr' }]],
    ['roomStreamUpdate', 'room-1', 'ADD', [{ urlsFLV: '', urlsRTMP: '', urlsHLS: '', ...stream }], ''],
  ]);
});

test('a refused login rejects with the gateway\'s code and reports DISCONNECTED', async (t) => {
  const { gateway, zg, log } = setup(t);
  gateway.failNext('login', 10106, 'TOKEN_EXPIRED', 'the token has expired');
  await assert.rejects(zg.loginRoom('room-1', 'old', { userID: 'patient' }), { code: 10106, msg: 'the token has expired' });
  assert.deepEqual(log, [['roomStateUpdate', 'room-1', 'CONNECTING', 0, ''], ['roomStateUpdate', 'room-1', 'DISCONNECTED', 10106, 'TOKEN_EXPIRED']]);
});

test('a login a draining gateway refuses (10325) is tried again on a new connection, without the app seeing it', async (t) => {
  const { gateway, zg, log } = setup(t);
  gateway.failNext('login', 10325, 'GATEWAY_DRAINING', 'this gateway is stopping');
  gateway.failNext('login', 10325, 'GATEWAY_DRAINING', 'this gateway is stopping');
  const started = Date.now();
  assert.equal(await zg.loginRoom('room-1', 't', { userID: 'patient' }), true);
  assert.equal(gateway.requestsOf('login').length, 3);
  assert.equal(gateway.connections.length, 3, 'each try on a connection of its own');
  assert.ok(gateway.connections.slice(0, 2).every((c) => c.closed), 'the refused connections are closed');
  assert.ok(Date.now() - started >= 1500, 'waited 0.5 s, then 1 s');
  assert.deepEqual(log.map((e) => e[2]), ['CONNECTING', 'CONNECTED']);
});

test('a gateway still draining after every try: the login rejects with 10325', { timeout: 30000 }, async (t) => {
  const { gateway, zg, log } = setup(t);
  for (let i = 0; i < 6; i++) gateway.failNext('login', 10325, 'GATEWAY_DRAINING', 'this gateway is stopping');
  await assert.rejects(zg.loginRoom('room-1', 't', { userID: 'patient' }), { code: 10325 });
  assert.equal(gateway.requestsOf('login').length, 6);
  assert.deepEqual(log.at(-1), ['roomStateUpdate', 'room-1', 'DISCONNECTED', 10325, 'GATEWAY_DRAINING']);
});

test('logoutRoom or destroyEngine while a refused login waits to try again: no login behind the app\'s back', async (t) => {
  const { gateway, zg } = setup(t);
  gateway.failNext('login', 10325, 'GATEWAY_DRAINING', 'this gateway is stopping');
  const login = zg.loginRoom('room-1', 't', { userID: 'patient' });
  await gateway.waitFor('login');
  await settle();
  assert.equal(await zg.logoutRoom('room-1'), true);
  await assert.rejects(login, { code: 10402 });
  assert.equal(gateway.requestsOf('login').length, 1, 'no second login');

  const again = setup(t);
  again.gateway.failNext('login', 10325, 'GATEWAY_DRAINING', 'this gateway is stopping');
  const destroyed = again.zg.loginRoom('room-1', 't', { userID: 'patient' });
  await again.gateway.waitFor('login');
  await settle();
  again.zg.destroyEngine();
  await assert.rejects(destroyed);
  await new Promise((r) => setTimeout(r, 700));
  assert.equal(again.gateway.requestsOf('login').length, 1, 'no login after destroyEngine');
});

test('an unreachable gateway rejects with 10401', async (t) => {
  const { gateway, zg } = setup(t);
  gateway.refuseConnections = true;
  await assert.rejects(zg.loginRoom('room-1', 't', { userID: 'patient' }), { code: 10401 });
});

test('room events reach the app; a kick ends the session with its code', async (t) => {
  const { gateway, zg, log } = setup(t);
  await zg.loginRoom('room-1', 't', { userID: 'patient' }, { userUpdate: true });
  await settle();
  log.length = 0;
  gateway.event({ type: 'roomUserUpdate', roomID: 'room-1', updateType: 'ADD', userList: [{ userID: 'doctor', userName: 'Dr' }] });
  gateway.event({ type: 'roomOnlineUserCountUpdate', roomID: 'room-1', count: 2 });
  gateway.event({ type: 'roomStreamUpdate', roomID: 'room-1', updateType: 'ADD', streamList: [{ ...stream, urlsFLV: 'http://f', urlsRTMP: 'rtmp://r' }] });
  gateway.event({ type: 'IMRecvBroadcastMessage', roomID: 'room-1', messageList: [{ message: 'hi' }] });
  gateway.event({ type: 'tokenWillExpire', roomID: 'room-1', expireTime: 1 });
  gateway.event({ type: 'somethingNew', roomID: 'room-1' });
  gateway.event({ type: 'kicked', roomID: 'room-1', code: 10206, error: 'KICKED_DUPLICATE_LOGIN', message: 'elsewhere' });
  await settle();
  assert.deepEqual(log, [
    ['roomUserUpdate', 'room-1', 'ADD', [{ userID: 'doctor', userName: 'Dr' }]],
    ['roomOnlineUserCountUpdate', 'room-1', 2],
    ['roomStreamUpdate', 'room-1', 'ADD', [{ urlsFLV: 'http://f', urlsRTMP: 'rtmp://r', urlsHLS: '', ...stream }], ''],
    ['IMRecvBroadcastMessage', 'room-1', [{ message: 'hi' }]],
    ['tokenWillExpire', 'room-1'],
    ['roomStateUpdate', 'room-1', 'DISCONNECTED', 10206, JSON.stringify({ error: 'KICKED_DUPLICATE_LOGIN', message: 'elsewhere' })],
  ]);
  // the session is over: a new login on the same engine is allowed
  assert.equal(await zg.loginRoom('room-2', 't', { userID: 'patient' }), true);
});

test('a move: a second connection logs in with the ticket and becomes the session; only then is the old one left; the app sees nothing', { timeout: 10000 }, async (t) => {
  const { gateway, zg, log } = setup(t, { userList: [{ userID: 'doctor', userName: 'Dr' }], streamList: [stream] });
  await zg.loginRoom('room-1', 't', { userID: 'patient' }, { userUpdate: true });
  await settle();
  assert.deepEqual(gateway.requestsOf('login')[0].features, ['move'], 'the SDK says it follows moves');
  log.length = 0;
  gateway.event({ type: 'move', roomID: 'room-1', gateway: 'gw-2', url: 'wss://gw2.test/ws', ticket: 'ticket-1' });
  await gateway.waitFor('logout');
  await settle();
  const [, handover] = gateway.requestsOf('login');
  assert.equal(handover.handover, 'ticket-1');
  assert.equal(handover.connection, 1);
  assert.equal(gateway.connections[1].url, 'wss://gw2.test/ws', 'to the address the move names');
  const logout = gateway.requestsOf('logout')[0];
  assert.equal(logout.connection, 0, 'the old session is left');
  assert.ok(gateway.requests.indexOf(logout) > gateway.requests.indexOf(handover), 'after the new one is in');
  assert.ok(gateway.connections[0].closed);
  assert.deepEqual(log, [], 'no state change, no user or stream event');
  gateway.event({ type: 'roomOnlineUserCountUpdate', roomID: 'room-1', count: 3 });
  await settle();
  assert.deepEqual(log, [['roomOnlineUserCountUpdate', 'room-1', 3]], 'the new session\'s events reach the app');
});

test('a move: what the old session hears during the handover login is superseded by the new login, but no message is lost', { timeout: 10000 }, async (t) => {
  const { gateway, zg, log } = setup(t, { userList: [{ userID: 'doctor', userName: 'Dr' }], streamList: [stream] });
  await zg.loginRoom('room-1', 't', { userID: 'patient' }, { userUpdate: true });
  await settle();
  log.length = 0;
  gateway.silence('login');
  gateway.event({ type: 'move', roomID: 'room-1', gateway: 'gw-2', url: 'wss://gw2.test/ws', ticket: 'ticket-1' });
  const handover = await gateway.waitFor('login');
  // the old session still hears the room while the new login is on its way
  gateway.event({ type: 'roomStreamUpdate', roomID: 'room-1', updateType: 'DELETE', streamList: [stream] });
  gateway.event({ type: 'IMRecvBroadcastMessage', roomID: 'room-1', messageList: [{ message: 'still there?' }] });
  await settle();
  assert.deepEqual(log, [], 'held while the handover login is on its way');
  gateway.configure({ streamList: [] }); // the room as the new login finds it: the stream has gone
  gateway.answer('login');
  gateway.connections[1].client.receive(JSON.stringify({ type: 'reply', id: handover.id, ok: true,
    data: { sessionId: 's2', resumeToken: 'r', roomID: 'room-1', tokenExpireTime: 4102444800, streamList: [], userList: [{ userID: 'doctor', userName: 'Dr' }] } }));
  await gateway.waitFor('logout');
  await settle();
  assert.deepEqual(log, [
    ['roomStreamUpdate', 'room-1', 'DELETE', [{ urlsFLV: '', urlsRTMP: '', urlsHLS: '', ...stream }], ''],
    ['IMRecvBroadcastMessage', 'room-1', [{ message: 'still there?' }]],
  ], 'the stream\'s end once (from the new login), and the message');
});

test('a move whose login is refused leaves the session where it is', async (t) => {
  const { gateway, zg, log } = setup(t);
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  await settle();
  log.length = 0;
  gateway.failNext('login', 10328, 'HANDOVER_REFUSED', 'expired');
  gateway.event({ type: 'move', roomID: 'room-1', gateway: 'gw-2', url: 'wss://gw2.test/ws', ticket: 'old' });
  await settle(40);
  assert.equal(gateway.requestsOf('login').length, 2);
  assert.ok(gateway.connections[1].closed, 'the second connection is given up');
  assert.ok(!gateway.connections[0].closed);
  assert.equal(gateway.requestsOf('logout').length, 0);
  assert.deepEqual(log, []);
  gateway.event({ type: 'roomOnlineUserCountUpdate', roomID: 'room-1', count: 2 });
  await settle();
  assert.deepEqual(log, [['roomOnlineUserCountUpdate', 'room-1', 2]], 'the old connection is still the session\'s');
});

test('a dropped socket is resumed: CONNECTING, CONNECTED, the missed events once', async (t) => {
  const { gateway, zg, log } = setup(t);
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  await settle();
  gateway.event({ type: 'roomOnlineUserCountUpdate', roomID: 'room-1', count: 2 });
  await settle();
  log.length = 0;
  gateway.dropConnection();
  await settle();
  gateway.event({ type: 'roomOnlineUserCountUpdate', roomID: 'room-1', count: 3 }); // missed while away
  await gateway.waitFor('resume');
  await settle();
  const resume = gateway.requestsOf('resume')[0];
  assert.deepEqual([resume.sessionId, resume.resumeToken, resume.lastSeq], ['s1', 'r', 1]);
  // the reply comes before the replayed events, so CONNECTED before them
  assert.deepEqual(log, [
    ['roomStateUpdate', 'room-1', 'CONNECTING', 0, ''],
    ['roomStateUpdate', 'room-1', 'CONNECTED', 0, ''],
    ['roomOnlineUserCountUpdate', 'room-1', 3],
  ]);
});

test('a resume the gateway refuses: the SDK logs in again with the same token, and the room is CONNECTED again', async (t) => {
  const { gateway, zg, log } = setup(t);
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  await settle();
  log.length = 0;
  gateway.expireSession();
  gateway.dropConnection();
  await gateway.waitFor('resume');
  await gateway.waitFor('login', (request) => gateway.requestsOf('login').length === 2);
  await settle();
  assert.equal(gateway.requestsOf('login')[1].token, 't');
  assert.deepEqual(log, [['roomStateUpdate', 'room-1', 'CONNECTING', 0, ''], ['roomStateUpdate', 'room-1', 'CONNECTED', 0, ''],
    ['roomOnlineUserCountUpdate', 'room-1', 1]]);
  assert.equal(await zg.logoutRoom('room-1'), true, 'the recovered session is the room\'s session');
});

test('after a recovery, what changed in the room meanwhile comes as DELETE and ADD', async (t) => {
  const nurse = { streamID: 'nurse-1', user: { userID: 'nurse', userName: 'N' }, extraInfo: '' };
  const { gateway, zg, log } = setup(t, { streamList: [stream], userList: [{ userID: 'doctor', userName: 'Dr' }] });
  await zg.loginRoom('room-1', 't', { userID: 'patient' }, { userUpdate: true });
  await settle();
  log.length = 0;
  gateway.configure({ streamList: [nurse], userList: [{ userID: 'nurse', userName: 'N' }] });
  gateway.expireSession();
  gateway.dropConnection();
  await gateway.waitFor('login', () => gateway.requestsOf('login').length === 2);
  await settle();
  const urls = { urlsFLV: '', urlsRTMP: '', urlsHLS: '' };
  assert.deepEqual(log.filter(([name]) => name !== 'roomOnlineUserCountUpdate'), [
    ['roomStateUpdate', 'room-1', 'CONNECTING', 0, ''],
    ['roomStateUpdate', 'room-1', 'CONNECTED', 0, ''],
    ['roomUserUpdate', 'room-1', 'DELETE', [{ userID: 'doctor', userName: 'Dr' }]],
    ['roomUserUpdate', 'room-1', 'ADD', [{ userID: 'nurse', userName: 'N' }]],
    ['roomStreamUpdate', 'room-1', 'DELETE', [{ ...urls, ...stream }], ''],
    ['roomStreamUpdate', 'room-1', 'ADD', [{ ...urls, ...nurse }], ''],
  ]);
});

test('kicked because room-service took the session\'s gateway for lost (10214): recovered, not ended', async (t) => {
  const { gateway, zg, log } = setup(t);
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  await settle();
  log.length = 0;
  gateway.event({ type: 'kicked', roomID: 'room-1', code: 10214, error: 'SESSION_EXPIRED', message: 'gateway lost' });
  await gateway.waitFor('login', () => gateway.requestsOf('login').length === 2);
  await settle();
  assert.deepEqual(log.filter(([name]) => name === 'roomStateUpdate'), [['roomStateUpdate', 'room-1', 'CONNECTED', 0, '']]);
  assert.equal(await zg.logoutRoom('room-1'), true);
});

test('a recovery login the gateway refuses for good (the token expired) ends the room with that code', async (t) => {
  const { gateway, zg, log } = setup(t);
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  await settle();
  log.length = 0;
  gateway.expireSession();
  gateway.failNext('login', 10106, 'TOKEN_EXPIRED', 'the token has expired');
  gateway.dropConnection();
  await gateway.waitFor('resume');
  await gateway.waitFor('login');
  await settle();
  assert.deepEqual(log, [['roomStateUpdate', 'room-1', 'CONNECTING', 0, ''], ['roomStateUpdate', 'room-1', 'DISCONNECTED', 10106, '']]);
});

test('broadcast, renewToken, logout and destroy', async (t) => {
  const { gateway, zg, log } = setup(t);
  assert.deepEqual(await zg.sendBroadcastMessage('room-1', 'x'), { errorCode: 10402 });
  await assert.rejects(zg.renewToken('t2', 'room-1'), { code: 10402 });
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  await assert.rejects(zg.loginRoom('room-2', 't', { userID: 'patient' }), { code: 10403 });
  assert.deepEqual(await zg.sendBroadcastMessage('room-1', 'hello'), { errorCode: 0, messageID: 1 });
  assert.equal(gateway.requestsOf('broadcast')[0].message, 'hello');
  gateway.failNext('broadcast', 10215, 'MESSAGE_TOO_LONG');
  assert.deepEqual(await zg.sendBroadcastMessage('room-1', 'x'), { errorCode: 10215 });
  assert.equal(await zg.renewToken('t2', 'room-1'), true);
  assert.equal(gateway.requestsOf('renewToken')[0].token, 't2');
  assert.equal(await zg.logoutRoom('other'), false);
  log.length = 0;
  assert.equal(await zg.logoutRoom('room-1'), true);
  assert.equal(gateway.requestsOf('logout').length, 1);
  assert.deepEqual(log, [['roomStateUpdate', 'room-1', 'DISCONNECTED', 0, '']]);
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  log.length = 0;
  zg.destroyEngine();
  await settle();
  assert.deepEqual(log, [['roomStateUpdate', 'room-1', 'DISCONNECTED', 0, '']]);
  assert.equal(gateway.connections[0].closed, true);
  await assert.rejects(zg.loginRoom('room-1', 't', { userID: 'patient' }), { code: 10411 });
});

test('heartbeats go out at the interval the hello gives', async (t) => {
  const { gateway, zg } = setup(t, { heartbeatInterval: 20 });
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  await gateway.waitFor('heartbeat');
  await gateway.waitFor('heartbeat');
});
