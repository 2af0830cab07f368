// The room around the media: logout, kick, destroy and a lost connection end the pusher and players
// and empty the page's fields; resume keeps them; Alipay's socket; the login errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from '../../web/testing/fake-gateway.mjs';
import { ZegoExpressEngine } from '../src/index.js';
import { stateEvent } from '../testing/fake-wx.mjs';
import { joined, setup } from '../testing/setup.mjs';

/** Publishing and playing, both live. */
async function inCall(t, options) {
  const context = await joined(t, options);
  await context.zg.createPusher().start('patient-1');
  context.zg.updatePusherState(stateEvent(1002));
  await context.zg.getPlayerInstance('doctor-1').play();
  context.zg.updatePlayerState('doctor-1', stateEvent(2004));
  await settle(); // the room's initial events (count, streams) are in
  context.log.length = 0;
  return context;
}

const summary = (log) => log.map(([name, ...args]) => (name === 'roomStateUpdate'
  ? [name, args[1], args[2]] : [name, args[0].streamID, args[0].state, args[0].errorCode]));

test('logout: NO_PUBLISH and NO_PLAY (0), the fields emptied, then DISCONNECTED; the page stays bound', async (t) => {
  const { gateway, zg, log, page } = await inCall(t);
  assert.equal(await zg.logoutRoom('room-1'), true);
  assert.deepEqual(summary(log), [
    ['publisherStateUpdate', 'patient-1', 'NO_PUBLISH', 0],
    ['playerStateUpdate', 'doctor-1', 'NO_PLAY', 0],
    ['roomStateUpdate', 'DISCONNECTED', 0],
  ]);
  assert.deepEqual(page.data.pusher, {});
  assert.deepEqual(page.data.playerList, []);
  assert.equal(gateway.requestsOf('unpublish').length + gateway.requestsOf('stopPlay').length, 0, 'logout ends them on the gateway');
  // a new login on the same engine publishes into the same page without a second initContext
  await zg.loginRoom('room-1', 't', { userID: 'patient' });
  assert.equal(await zg.getPusherInstance().start('patient-1'), true);
  assert.match(page.data.pusher.url, /patient-1\?key=/);
});

test('kicked (duplicate login): the media ends with 10206, then DISCONNECTED 10206', async (t) => {
  const { gateway, zg, log, page } = await inCall(t);
  gateway.event({ type: 'kicked', roomID: 'room-1', code: 10206, error: 'KICKED_DUPLICATE_LOGIN', message: 'logged in elsewhere' });
  await settle();
  assert.deepEqual(summary(log), [
    ['publisherStateUpdate', 'patient-1', 'NO_PUBLISH', 10206],
    ['playerStateUpdate', 'doctor-1', 'NO_PLAY', 10206],
    ['roomStateUpdate', 'DISCONNECTED', 10206],
  ]);
  assert.deepEqual(page.data.pusher, {});
  assert.deepEqual(page.data.playerList, []);
  zg.updatePlayerNetStatus('doctor-1', { detail: { info: { videoBitrate: 1 } } });
  assert.equal(log.length, 3, 'no quality events for a stopped player');
});

test('destroy: the media ends, the fields empty, the socket closes, the page forgets the engine', async (t) => {
  const { api, zg, log, page } = await inCall(t);
  assert.equal(page.__wenzhenEngine, zg);
  zg.destroyEngine();
  await settle();
  assert.deepEqual(summary(log), [
    ['publisherStateUpdate', 'patient-1', 'NO_PUBLISH', 0],
    ['playerStateUpdate', 'doctor-1', 'NO_PLAY', 0],
    ['roomStateUpdate', 'DISCONNECTED', 0],
  ]);
  assert.deepEqual(page.data.pusher, {});
  assert.deepEqual(page.data.playerList, []);
  assert.equal(page.__wenzhenEngine, undefined);
  assert.equal(api.sockets[0].task.closeCalls.length, 1);
  assert.equal(zg.initContext({ wxContext: page }), false);
  await assert.rejects(zg.loginRoom('room-1', 't', { userID: 'patient' }), { code: 10411 });
  zg.destroyEngine(); // twice is harmless
});

test('a dropped socket is resumed over a new SocketTask: the live-pusher and live-players carry on', async (t) => {
  const { gateway, api, zg, log, page } = await inCall(t);
  const pusherBefore = page.data.pusher;
  gateway.dropConnection();
  await gateway.waitFor('resume');
  await settle();
  assert.equal(api.sockets.length, 2);
  assert.deepEqual(summary(log), [['roomStateUpdate', 'CONNECTING', 0], ['roomStateUpdate', 'CONNECTED', 0]]);
  assert.deepEqual(page.data.pusher, pusherBefore);
  assert.equal(page.data.playerList.length, 1);
  assert.equal(zg.getPusherInstance().state, 'PUBLISHING');
});

test('a resume the gateway refuses: logged in again, the pusher publishes and the player plays again, at new addresses', async (t) => {
  const { gateway, zg, log, page } = await inCall(t);
  gateway.expireSession();
  gateway.dropConnection();
  await gateway.waitFor('resume');
  await gateway.waitFor('publish', () => gateway.requestsOf('publish').length === 2);
  await settle();
  assert.equal(gateway.requestsOf('login').length, 2, 'the SDK logged in again');
  assert.match(page.data.pusher.url, /^rtmp:/, 'the live-pusher has the new gateway\'s address');
  // the new login lists the doctor's stream: the player plays it again at once
  await gateway.waitFor('play', () => gateway.requestsOf('play').length === 2);
  await settle();
  assert.match(page.data.playerList[0].url, /\.flv\?key=/);
  zg.updatePusherState(stateEvent(1002));
  zg.updatePlayerState('doctor-1', stateEvent(2004));
  const states = log.filter(([name]) => ['roomStateUpdate', 'publisherStateUpdate', 'playerStateUpdate'].includes(name));
  assert.deepEqual(summary(states), [
    ['roomStateUpdate', 'CONNECTING', 0],
    ['publisherStateUpdate', 'patient-1', 'PUBLISH_REQUESTING', 10307],
    ['playerStateUpdate', 'doctor-1', 'PLAY_REQUESTING', 10307],
    ['roomStateUpdate', 'CONNECTED', 0],
    ['publisherStateUpdate', 'patient-1', 'PUBLISH_REQUESTING', 0],
    ['playerStateUpdate', 'doctor-1', 'PLAY_REQUESTING', 0],
    ['publisherStateUpdate', 'patient-1', 'PUBLISHING', 0],
    ['playerStateUpdate', 'doctor-1', 'PLAYING', 0],
  ]);
});

test('a recovery the gateway refuses for good (the token expired) ends the media with that code', async (t) => {
  const { gateway, log, page } = await inCall(t);
  gateway.expireSession();
  gateway.failNext('login', 10106, 'TOKEN_EXPIRED', 'the token has expired');
  gateway.dropConnection();
  await gateway.waitFor('resume');
  await gateway.waitFor('login', () => gateway.requestsOf('login').length === 2);
  await settle();
  assert.deepEqual(summary(log), [
    ['roomStateUpdate', 'CONNECTING', 0],
    ['publisherStateUpdate', 'patient-1', 'PUBLISH_REQUESTING', 10307],
    ['playerStateUpdate', 'doctor-1', 'PLAY_REQUESTING', 10307],
    ['publisherStateUpdate', 'patient-1', 'NO_PUBLISH', 10106],
    ['playerStateUpdate', 'doctor-1', 'NO_PLAY', 10106],
    ['roomStateUpdate', 'DISCONNECTED', 10106],
  ]);
  assert.deepEqual(page.data.pusher, {});
  assert.deepEqual(page.data.playerList, []);
});

test('Alipay: my.connectSocket with multiple: true, its message shape, the same flow', async (t) => {
  const { api, zg, page } = await inCall(t, { alipay: true });
  assert.equal(api.sockets[0].options.multiple, true);
  assert.match(page.data.pusher.url, /^rtmp:/);
  assert.match(page.data.playerList[0].url, /^http:.*\.flv\?key=/);
  assert.deepEqual(await zg.sendBroadcastMessage('room-1', 'hello doctor'), { errorCode: 0, messageID: 1 });
  assert.equal(await zg.renewToken('t2', 'room-1'), true);
});

test('login errors: the gateway unreachable 10401, a refused token with its code, no mini-program runtime 10416', async (t) => {
  const unreachable = setup(t);
  unreachable.gateway.refuseConnections = true; // the task errors and never closes, as WeChat may do
  await assert.rejects(unreachable.zg.loginRoom('room-1', 't', { userID: 'patient' }), { code: 10401 });
  assert.deepEqual(unreachable.events('roomStateUpdate').map((e) => [e[1], e[2]]), [['CONNECTING', 0], ['DISCONNECTED', 10401]]);

  const refused = setup(t);
  refused.gateway.failNext('login', 10113, 'TOKEN_ROOM_NOT_ALLOWED', 'the payload names another room');
  await assert.rejects(refused.zg.loginRoom('room-1', 't', { userID: 'patient' }), { code: 10113 });

  const nowhere = new ZegoExpressEngine(1234, 'wss://gw.test/ws'); // node has neither wx nor my
  await assert.rejects(nowhere.loginRoom('room-1', 't', { userID: 'patient' }), { code: 10416 });
  await assert.rejects(refused.zg.loginRoom(5, 't', { userID: 'patient' }), { code: 10410 });
  nowhere.destroyEngine();
});

test('initContext again with another page: the fields move there, the old page forgets the engine', async (t) => {
  const { zg, page } = await inCall(t);
  const next = { data: {}, setData(patch) { Object.assign(this.data, patch); } };
  assert.equal(zg.initContext({ wxContext: next, pushAtr: 'pusher', playAtr: 'players' }), true);
  assert.match(next.data.pusher.url, /patient-1/);
  assert.equal(next.data.players[0].id, 'doctor-1');
  assert.equal(page.__wenzhenEngine, undefined);
  assert.equal(next.__wenzhenEngine, zg);
});
